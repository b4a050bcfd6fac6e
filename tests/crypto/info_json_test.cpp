// The compact and canonical forms of the AppLogin info object.
#include "common/crypto/info_json.hpp"

#include <catch2/catch.hpp>

using namespace mpk::crypto;

TEST_CASE("compact json strips whitespace outside strings only") {
  CHECK(compact_json("{ \"a b\" : [ 1 , 2 ] ,\n\t\"c\" : \" x \" }") == R"({"a b":[1,2],"c":" x "})");
  CHECK(compact_json(R"({"q":"say \"hi there\"", "s":"a\\ b"})") == R"({"q":"say \"hi there\"","s":"a\\ b"})");
  CHECK(compact_json(R"({"u" : "\u00e9\/"})") == R"({"u":"\u00e9\/"})"); // escapes kept as sent
  CHECK(compact_json("") == "");
  CHECK(compact_json("\"trailing\\") == "\"trailing\\"); // no read past the end
}

TEST_CASE("canonical json decodes escapes and keeps member order") {
  auto c =
    canonical_json(R"({ "z" : "a\/b", "a" : "\u00e9\u20ac", "n" : [ 1, -2.5e3, 0 ], "t":true,"f":false,"x":null })");
  REQUIRE(c);
  CHECK(*c == "{\"z\":\"a/b\",\"a\":\"\xc3\xa9\xe2\x82\xac\",\"n\":[1,-2.5e3,0],\"t\":true,\"f\":false,\"x\":null}");
}

TEST_CASE("canonical json escapes quotes backslashes and control characters") {
  auto c = canonical_json(R"(["q\"b\\n\n\t\u0001\u001F\b\f\r"])");
  REQUIRE(c);
  CHECK(*c == R"(["q\"b\\n\n\t\u0001\u001f\b\f\r"])");
}

TEST_CASE("canonical json handles surrogate pairs and lone surrogates") {
  auto pair = canonical_json(R"("\ud83d\ude00")");
  REQUIRE(pair);
  CHECK(*pair == "\"\xf0\x9f\x98\x80\"");
  auto lone = canonical_json(R"("\uD800x\uDC00")");
  REQUIRE(lone);
  CHECK(*lone == R"("\ud800x\udc00")");
}

TEST_CASE("canonical json refuses invalid JSON") {
  for (std::string bad : {"", "{", "{\"a\"}", "{\"a\":1,}", "[1,]", "[01]", "1.", "-", "tru", "\"\\x\"", "\"\\u12\"",
                          "\"a\nb\"", "{} {}", "{'a':1}", "nul"})
    CHECK_FALSE(canonical_json(bad));
}

TEST_CASE("canonical json refuses absurd nesting without overflowing the stack") {
  std::string deep(100000, '[');
  CHECK_FALSE(canonical_json(deep));
  std::string ok = std::string(200, '[') + std::string(200, ']');
  CHECK(canonical_json(ok) == ok);
}
