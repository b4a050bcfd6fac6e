// The JSON writer: structure, commas, numbers and string escaping.
#include "common/json/writer.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <string>

using mpk::json::append_escaped;
using mpk::json::json_writer;

TEST_CASE("writer places commas in nested objects and arrays") {
  json_writer w;
  w.begin_object()
    .member("a", 1)
    .key("b")
    .begin_array()
    .value(true)
    .value(false)
    .null()
    .begin_object()
    .end_object()
    .begin_array()
    .end_array()
    .end_array()
    .key("c")
    .begin_object()
    .member("d", "x")
    .member("e", std::string("y"))
    .end_object()
    .member("f", std::int64_t{-5})
    .end_object();
  CHECK(w.str() == R"({"a":1,"b":[true,false,null,{},[]],"c":{"d":"x","e":"y"},"f":-5})");
}

TEST_CASE("writer integer and double values") {
  json_writer w;
  w.begin_array()
    .value(std::numeric_limits<std::int64_t>::min())
    .value(std::numeric_limits<std::uint64_t>::max())
    .value(0)
    .value(std::size_t{7})
    .value(1.5)
    .value(0.1)
    .value(-2.0)
    .value(std::numeric_limits<double>::quiet_NaN())
    .value(std::numeric_limits<double>::infinity())
    .end_array();
  CHECK(w.str() == "[-9223372036854775808,18446744073709551615,0,7,1.5,0.1,-2,null,null]");
}

TEST_CASE("writer raw inserts JSON as a value with commas") {
  json_writer w;
  w.begin_object().member("x", 1).key("info").raw(R"({"a":[1,2]})").key("y").raw("null").end_object();
  CHECK(w.str() == R"({"x":1,"info":{"a":[1,2]},"y":null})");
  json_writer a;
  a.begin_array().raw("1").raw("[2]").end_array();
  CHECK(a.str() == "[1,[2]]");
}

TEST_CASE("writer take and clear reset the state") {
  json_writer w;
  w.begin_object().member("a", 1).end_object();
  CHECK(w.take() == R"({"a":1})");
  CHECK(w.str().empty());
  w.begin_array().value(2).end_array();
  CHECK(w.str() == "[2]"); // no stray comma from the previous document
  w.clear();
  w.value("s");
  CHECK(w.str() == R"("s")");
  w.clear();
  w.value(static_cast<const char*>(nullptr));
  CHECK(w.str() == "null");
}

TEST_CASE("writer escapes quotes and backslashes") {
  json_writer w;
  w.begin_object().member("k\"ey", "say \"hi\" c:\\dir\\").end_object();
  CHECK(w.str() == R"({"k\"ey":"say \"hi\" c:\\dir\\"})");
}

TEST_CASE("writer escapes control characters") {
  std::string out;
  append_escaped(out, std::string("\b\f\n\r\t\x01\x1f\x00z", 9));
  CHECK(out == R"(\b\f\n\r\t\u0001\u001f\u0000z)");
}

TEST_CASE("writer keeps UTF-8, slash and DEL literal") {
  std::string out;
  append_escaped(out, "a/b \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 \x7f");
  CHECK(out == "a/b \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 \x7f");
}
