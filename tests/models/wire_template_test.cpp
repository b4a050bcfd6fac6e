// Rendering and matching wire templates: what one side builds, the other side reads.

#include "common/models/wire_template.hpp"

#include <catch2/catch.hpp>

using namespace mpk::models;

TEST_CASE("url_encode and url_decode") {
  CHECK(url_encode("a b/c") == "a%20b%2Fc");
  CHECK(url_encode("a b/c", true) == "a%20b/c");
  CHECK(url_encode("AZaz09-._~") == "AZaz09-._~");
  CHECK(url_encode("ä") == "%C3%A4");
  CHECK(url_decode("a%20b%2fc") == "a b/c");
  CHECK(url_decode("a+b", true) == "a b");
  CHECK(url_decode("a+b") == "a+b");
  CHECK_FALSE(url_decode("%"));
  CHECK_FALSE(url_decode("%2"));
  CHECK_FALSE(url_decode("ab%G0"));
}

TEST_CASE("placeholders are found and unbalanced braces refused") {
  CHECK(template_placeholders("/a?x={x}&y={y}") == std::vector<std::string>{"x", "y"});
  CHECK_FALSE(template_placeholders("/a?x={x"));
  CHECK_FALSE(template_placeholders("/a?x=x}"));
  CHECK_FALSE(template_placeholders("/a?x={}"));
}

TEST_CASE("render then match gives back the values") {
  const std::string key = "/PHONE/APP/mod_cmd.xml?cmd=xml-key&key={code}&ms={holdMs}";
  auto path = render_template(key, {{"code", "#"}, {"holdMs", "1000"}});
  REQUIRE(path == "/PHONE/APP/mod_cmd.xml?cmd=xml-key&key=%23&ms=1000");
  auto caps = match_template(key, *path);
  REQUIRE(caps);
  CHECK(capture(*caps, "code") == "#");
  CHECK(capture(*caps, "holdMs") == "1000");

  // Extra parameters and a different order still match; a wrong literal does not.
  CHECK(match_template(key, "/PHONE/APP/mod_cmd.xml?ms=5&nocache=123&key=ok&cmd=xml-key"));
  CHECK_FALSE(match_template(key, "/PHONE/APP/mod_cmd.xml?cmd=xml-dial&key=ok&ms=5"));
  CHECK_FALSE(match_template(key, "/PHONE/APP/mod_cmd.xml?cmd=xml-key&ms=5"));
  CHECK_FALSE(match_template(key, "/PHONE/APP/other.xml?cmd=xml-key&key=1&ms=5"));
  CHECK_FALSE(match_template(key, "/PHONE/APP/mod_cmd.xml?cmd=xml-key&key=%ZZ&ms=5"));

  const std::string cmd = "/!{command}";
  auto c = render_template(cmd, {{"command", "mod cmd UP1 /x ä"}});
  REQUIRE(c == "/!mod%20cmd%20UP1%20/x%20%C3%A4");
  auto cc = match_template(cmd, *c);
  REQUIRE(cc);
  CHECK(capture(*cc, "command") == "mod cmd UP1 /x ä");

  // Literal templates with spaces match their encoded form.
  int spec = 0;
  CHECK(match_template("/!config write", "/!config%20write", &spec));
  CHECK(spec == 14);
  CHECK_FALSE(match_template("/!config write", "/!config%20writer"));
  CHECK_FALSE(render_template(key, {{"code", "1"}})); // missing value
}
