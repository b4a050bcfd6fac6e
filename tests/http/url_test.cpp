// Percent-encoding and request-target splitting.
#include "common/http/url.hpp"

#include <catch2/catch.hpp>

using namespace mpk::http;

TEST_CASE("url_encode keeps only unreserved characters", "[http][url]") {
  CHECK(url_encode("AZaz09-._~") == "AZaz09-._~");
  CHECK(url_encode("a b+c/d?e&f=g") == "a%20b%2Bc%2Fd%3Fe%26f%3Dg");
  CHECK(url_encode(std::string("\0\xff", 2)) == "%00%FF");
  CHECK(url_encode("ä") == "%C3%A4");
  CHECK(url_encode("").empty());
}

TEST_CASE("url_decode", "[http][url]") {
  CHECK(url_decode("a%20b+c") == std::optional<std::string>("a b+c"));
  CHECK(url_decode("%c3%A4") == std::optional<std::string>("ä"));
  CHECK(url_decode("%00") == std::optional<std::string>(std::string("\0", 1)));
  CHECK_FALSE(url_decode("%").has_value());
  CHECK_FALSE(url_decode("%4").has_value());
  CHECK_FALSE(url_decode("a%4").has_value());
  CHECK_FALSE(url_decode("%zz").has_value());
  CHECK_FALSE(url_decode("%-1").has_value());
}

TEST_CASE("encode then decode is the identity on every byte", "[http][url]") {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  CHECK(url_decode(url_encode(all)) == std::optional<std::string>(all));
}

TEST_CASE("split_target decodes path and query", "[http][url]") {
  auto parts = split_target("/a%20dir/x+y.xml?cmd=key+press&id=%2Fk1&flag&&empty=&id=2#frag");
  REQUIRE(parts.has_value());
  CHECK(parts->path == "/a dir/x+y.xml");
  REQUIRE(parts->query.size() == 5);
  CHECK(query_value(*parts, "cmd") == std::optional<std::string_view>("key press"));
  CHECK(query_value(*parts, "id") == std::optional<std::string_view>("/k1"));
  CHECK(query_value(*parts, "flag") == std::optional<std::string_view>(""));
  CHECK(query_value(*parts, "empty") == std::optional<std::string_view>(""));
  CHECK_FALSE(query_value(*parts, "frag").has_value());
  CHECK_FALSE(query_value(*parts, "missing").has_value());
  CHECK(parts->query[4].second == "2");
}

TEST_CASE("split_target edge cases", "[http][url]") {
  auto plain = split_target("/");
  REQUIRE(plain.has_value());
  CHECK(plain->path == "/");
  CHECK(plain->query.empty());
  auto empty_query = split_target("/p?");
  REQUIRE(empty_query.has_value());
  CHECK(empty_query->query.empty());
  auto eq_in_value = split_target("/p?a=b=c");
  REQUIRE(eq_in_value.has_value());
  CHECK(query_value(*eq_in_value, "a") == std::optional<std::string_view>("b=c"));
  CHECK_FALSE(split_target("").has_value());
  CHECK_FALSE(split_target("http://host/p").has_value());
  CHECK_FALSE(split_target("*").has_value());
  CHECK_FALSE(split_target("/bad%zz").has_value());
  CHECK_FALSE(split_target("/p?a=%2").has_value());
  CHECK_FALSE(split_target("/p?%g1=x").has_value());
}

TEST_CASE("path_segments skips empty segments and stops at the query or fragment", "[http][url]") {
  using v = std::vector<std::string_view>;
  CHECK(path_segments("/a//b/?x=/c") == v{"a", "b"});
  CHECK(path_segments("/dom/inst/admin/t#frag/x") == v{"dom", "inst", "admin", "t"});
  CHECK(path_segments("https:") == v{"https:"});
  CHECK(path_segments("").empty());
  CHECK(path_segments("///").empty());
  CHECK(path_segments("%2F/x") == v{"%2F", "x"}); // not decoded
}
