// The AppWebsocket frame envelope: accessors, raw member text and every refusal.
#include "common/json/envelope.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace mpk::json;

TEST_CASE("envelope parses mt api src and body members") {
  envelope_parser p;
  envelope_errc err{};
  auto e = p.parse(R"({"mt":"GetPhones","api":"Phones","src":"src7","n":42,"big":1e3,"b":true,"s":"t\"x"})", err);
  REQUIRE(e);
  CHECK(e->mt() == "GetPhones");
  CHECK(e->api() == "Phones");
  CHECK(e->has_src());
  CHECK(e->src() == "src7");
  CHECK(e->integer("n") == 42);
  CHECK_FALSE(e->integer("big")); // 1e3 is a double
  CHECK(e->number("big") == 1000.0);
  CHECK(e->number("n") == 42.0);
  CHECK(e->boolean("b") == true);
  CHECK(e->string("s") == std::string_view("t\"x"));
  CHECK_FALSE(e->string("n"));
  CHECK_FALSE(e->boolean("s"));
  CHECK(e->has("b"));
  CHECK_FALSE(e->has("missing"));
  CHECK_FALSE(e->string("missing"));
  CHECK(e->root()["n"].get_int64().value_unsafe() == 42);
}

TEST_CASE("envelope without api or src") {
  envelope_parser p;
  envelope_errc err{};
  auto e = p.parse(R"({"mt":"AppChallenge"})", err);
  REQUIRE(e);
  CHECK(e->mt() == "AppChallenge");
  CHECK(e->api().empty());
  CHECK_FALSE(e->has_src());
  CHECK(e->src().empty());
  CHECK(e->text() == R"({"mt":"AppChallenge"})");
}

TEST_CASE("envelope raw info keeps nested arrays escaped quotes and member order") {
  envelope_parser p;
  envelope_errc err{};
  const std::string frame =
    "{ \"mt\" : \"AppLogin\", \"info\" :  { \"z\" : [ [1, {\"q\":\"a \\\"}] ,\\\\\"}], [] ], \"a\" : \"x\\/y\" }  ,"
    "\"digest\":\"ab\",\"n\": -1.5e2 , \"last\":null}";
  auto e = p.parse(frame, err);
  REQUIRE(e);
  CHECK(e->raw("info") == std::string_view("{ \"z\" : [ [1, {\"q\":\"a \\\"}] ,\\\\\"}], [] ], \"a\" : \"x\\/y\" }"));
  CHECK(e->raw("mt") == std::string_view("\"AppLogin\""));
  CHECK(e->raw("digest") == std::string_view("\"ab\""));
  CHECK(e->raw("n") == std::string_view("-1.5e2"));
  CHECK(e->raw("last") == std::string_view("null"));
  CHECK_FALSE(e->raw("nothing"));
}

TEST_CASE("envelope raw handles escaped keys and duplicates like the getters") {
  envelope_parser p;
  envelope_errc err{};
  auto e = p.parse(R"({"mt":"x","\u0069nfo":{"a":1},"k":1,"k":2})", err);
  REQUIRE(e);
  CHECK(e->raw("info") == std::string_view(R"({"a":1})"));
  CHECK(e->raw("k") == std::string_view("1"));
  CHECK(e->integer("k") == 1);
}

TEST_CASE("envelope parser is reusable across frames") {
  envelope_parser p;
  envelope_errc err{};
  REQUIRE(p.parse(R"({"mt":"first","src":"a"})", err));
  auto bad = p.parse("{", err);
  CHECK_FALSE(bad);
  auto e = p.parse(R"({"mt":"second"})", err);
  REQUIRE(e);
  CHECK(e->mt() == "second");
  CHECK_FALSE(e->has_src()); // nothing left over from the first frame
  std::string big = R"({"mt":"big","pad":")" + std::string(100000, 'x') + "\"}";
  e = p.parse(big, err);
  REQUIRE(e);
  CHECK(e->string("pad")->size() == 100000);
}

TEST_CASE("envelope error too large") {
  envelope_parser p(32);
  envelope_errc err{};
  CHECK(p.parse(R"({"mt":"x"})", err));
  CHECK_FALSE(p.parse(R"({"mt":"x","pad":"0123456789abcdefghij"})", err));
  CHECK(err == envelope_errc::too_large);
  CHECK(describe(err) == "frame is larger than the allowed maximum");
}

TEST_CASE("envelope error malformed JSON") {
  envelope_parser p;
  const std::string cases[] = {"",       "{",        R"({"mt":"x",})",         R"({"mt":"x"} trailing)",
                               "{mt:1}", "\xff\xfe", R"({"mt":"unterminated)", std::string(5000, '[')};
  for (const std::string& bad : cases) {
    envelope_errc err{};
    CHECK_FALSE(p.parse(bad, err));
    CHECK(err == envelope_errc::malformed);
  }
  CHECK(describe(envelope_errc::malformed) == "frame is not valid JSON");
}

TEST_CASE("envelope error not an object") {
  envelope_parser p;
  for (std::string bad : {"[1]", "\"x\"", "42", "null"}) {
    envelope_errc err{};
    CHECK_FALSE(p.parse(bad, err));
    CHECK(err == envelope_errc::not_object);
  }
  CHECK(describe(envelope_errc::not_object) == "frame is not a JSON object");
}

TEST_CASE("envelope error missing mt") {
  envelope_parser p;
  envelope_errc err{};
  CHECK_FALSE(p.parse(R"({"api":"Phones","src":"s"})", err));
  CHECK(err == envelope_errc::missing_mt);
  CHECK_FALSE(p.parse("{}", err));
  CHECK(err == envelope_errc::missing_mt);
  CHECK(describe(envelope_errc::missing_mt) == "frame has no \"mt\" member");
}

TEST_CASE("envelope error mt is a number") {
  envelope_parser p;
  envelope_errc err{};
  CHECK_FALSE(p.parse(R"({"mt":1})", err));
  CHECK(err == envelope_errc::mt_not_string);
  CHECK_FALSE(p.parse(R"({"mt":null})", err));
  CHECK(err == envelope_errc::mt_not_string);
  CHECK(describe(envelope_errc::mt_not_string) == "frame member \"mt\" is not a string");
}

TEST_CASE("envelope parser can be moved") {
  envelope_parser a;
  envelope_errc err{};
  envelope_parser b(std::move(a));
  auto e = b.parse(R"({"mt":"moved"})", err);
  REQUIRE(e);
  CHECK(e->mt() == "moved");
  CHECK_FALSE(a.parse(R"({"mt":"x"})", err)); // NOLINT(bugprone-use-after-move): defined behaviour
  CHECK(err == envelope_errc::malformed);
}
