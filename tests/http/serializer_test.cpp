// Serialization (Beast's serializer behind common/http/serializer.hpp): Content-Length rules,
// header hygiene, and parse(serialize(x)) == x.
#include "common/http/parser.hpp"
#include "common/http/serializer.hpp"

#include <catch2/catch.hpp>

using namespace mpk::http;

TEST_CASE("GET without body has no Content-Length", "[http][serialize]") {
  request req;
  req.method = "GET";
  req.target = "/lcd_dump.bmp";
  req.headers.set("Host", "phone");
  req.headers.set("Content-Length", "12"); // stale: the body is empty
  CHECK(serialize(req) == "GET /lcd_dump.bmp HTTP/1.1\r\nHost: phone\r\n\r\n");
}

TEST_CASE("POST and PUT always carry Content-Length", "[http][serialize]") {
  request req;
  req.method = "POST";
  req.target = "/CMD0/mod_cmd.xml";
  CHECK(serialize(req) == "POST /CMD0/mod_cmd.xml HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
  req.method = "PUT";
  req.body = "abc";
  req.headers.set("Transfer-Encoding", "chunked");
  CHECK(serialize(req) == "PUT /CMD0/mod_cmd.xml HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
  req.method = "GET";
  CHECK(serialize(req) == "GET /CMD0/mod_cmd.xml HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
}

TEST_CASE("response always carries Content-Length", "[http][serialize]") {
  response res;
  res.headers.set("Content-Length", "999");
  res.headers.set("content-length", "998"); // same field: replaces, no duplicate
  CHECK(serialize(res) == "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  res.status = 404;
  res.reason = std::string(reason_phrase(404));
  res.body = "nope";
  CHECK(serialize(res) == "HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nnope");
}

TEST_CASE("204 and 1xx go without Content-Length and body", "[http][serialize]") {
  response res;
  res.status = 204;
  res.reason = "No Content";
  res.body = "dropped";
  CHECK(serialize(res) == "HTTP/1.1 204 No Content\r\n\r\n");
}

TEST_CASE("CR and LF cannot inject header lines", "[http][serialize]") {
  response res;
  res.headers.set("X-Evil", "a\r\nSet-Cookie: x=1");
  res.reason = "OK\r\nX: y";
  auto bytes = serialize(res);
  response_parser p;
  REQUIRE(p.feed(bytes) == parse_state::complete);
  CHECK_FALSE(p.get().headers.get("Set-Cookie").has_value());
  CHECK(p.get().headers.get("X-Evil") == std::optional<std::string_view>("a  Set-Cookie: x=1"));
  request req;
  req.method = "GET";
  req.target = "/a b\r\nX: y";
  CHECK(serialize(req) == "GET /a%20b%0D%0AX:%20y HTTP/1.1\r\n\r\n");
}

TEST_CASE("request round trip through the parser", "[http][serialize]") {
  request req;
  req.method = "POST";
  req.target = "/x?y=1";
  req.headers.set("Host", "h");
  req.headers.set("X-Multi", "1");
  req.body = std::string("\0binary\r\n\r\n", 11);
  request_parser p;
  REQUIRE(p.feed(serialize(req)) == parse_state::complete);
  auto back = p.take();
  CHECK(back.method == req.method);
  CHECK(back.target == req.target);
  CHECK(back.version == "HTTP/1.1");
  CHECK(back.body == req.body);
  CHECK(back.headers.get("x-multi") == std::optional<std::string_view>("1"));
  CHECK(back.headers.get("content-length") == std::optional<std::string_view>("11"));
}

TEST_CASE("response round trip through the parser", "[http][serialize]") {
  response res;
  res.status = 503;
  res.reason = std::string(reason_phrase(503));
  res.headers.set("Retry-After", "5");
  res.body = "later";
  response_parser p;
  REQUIRE(p.feed(serialize(res)) == parse_state::complete);
  CHECK(p.get().status == 503);
  CHECK(p.get().reason == "Service Unavailable");
  CHECK(p.get().body == "later");
}

TEST_CASE("an empty reason goes out as the standard phrase", "[http][serialize]") {
  response res;
  res.status = 404;
  res.reason.clear();
  CHECK(serialize(res) == "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
}

TEST_CASE("reason phrases", "[http][serialize]") {
  CHECK(reason_phrase(200) == "OK");
  CHECK(reason_phrase(401) == "Unauthorized");
  CHECK(reason_phrase(502) == "Bad Gateway");
  CHECK(reason_phrase(299).empty());
  CHECK(reason_phrase(-1).empty());
}

TEST_CASE("header_list set and erase are case-insensitive", "[http][serialize]") {
  header_list h;
  h.items = {{"A", "1"}, {"b", "2"}, {"a", "3"}};
  h.set("a", "9");
  REQUIRE(h.items.size() == 2);
  CHECK(h.items[0] == std::pair<std::string, std::string>{"A", "9"});
  CHECK(h.erase("B") == 1);
  CHECK_FALSE(h.get("b").has_value());
}
