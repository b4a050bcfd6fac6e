// Request parsing (Beast behind common/http/parser.hpp): pipelining byte by byte, bodies,
// limits and every refusal.
#include "common/http/parser.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace mpk::http;

namespace {

/// Feeds `bytes` in slices of `step`, collecting every complete request; stops at an error.
struct feed_result {
  std::vector<request> requests;
  parse_state last = parse_state::need_more;
  std::string error;
};

feed_result feed_in_slices(std::string_view bytes, std::size_t step, limits lim = {}) {
  request_parser p{lim};
  feed_result out;
  std::size_t at = 0;
  while (at < bytes.size()) {
    auto slice = bytes.substr(at, step);
    // A slice may hold the end of one request and the start of the next.
    while (true) {
      out.last = p.feed(slice);
      REQUIRE(p.consumed() <= slice.size());
      if (out.last == parse_state::error) {
        out.error = p.error();
        return out;
      }
      if (out.last != parse_state::complete) break;
      slice.remove_prefix(p.consumed());
      out.requests.push_back(p.take());
      if (slice.empty()) break;
    }
    at += step;
  }
  return out;
}

parse_state parse_all(std::string_view bytes, std::string* error = nullptr, limits lim = {}) {
  request_parser p{lim};
  auto st = p.feed(bytes);
  if (error) *error = p.error();
  return st;
}

} // namespace

TEST_CASE("pipelined requests fed one byte at a time", "[http][request]") {
  std::string bytes =
    "GET /admin.xml?xsl=a.xsl HTTP/1.1\r\nHost: phone\r\nX-Empty:\r\n\r\n"
    "POST /CMD0/mod_cmd.xml HTTP/1.1\r\nContent-Length: 5\r\ncontent-type: text/plain\r\n\r\nhello"
    "PUT /x HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\nA\r\n0123456789\r\n0\r\n"
    "X-Trailer: t\r\n\r\n"
    "\r\nDELETE /y HTTP/1.1\r\n\r\n";
  for (std::size_t step : {std::size_t{1}, std::size_t{2}, std::size_t{7}, bytes.size()}) {
    INFO("step " << step);
    auto r = feed_in_slices(bytes, step);
    REQUIRE(r.error.empty());
    REQUIRE(r.requests.size() == 4);
    CHECK(r.requests[0].method == "GET");
    CHECK(r.requests[0].target == "/admin.xml?xsl=a.xsl");
    CHECK(r.requests[0].headers.get("host") == std::optional<std::string_view>("phone"));
    CHECK(r.requests[0].headers.get("x-empty") == std::optional<std::string_view>(""));
    CHECK(r.requests[0].body.empty());
    CHECK(r.requests[1].method == "POST");
    CHECK(r.requests[1].body == "hello");
    CHECK(r.requests[1].headers.get("Content-Type") == std::optional<std::string_view>("text/plain"));
    CHECK(r.requests[2].version == "HTTP/1.0");
    CHECK(r.requests[2].body == "abc0123456789");
    CHECK_FALSE(r.requests[2].headers.get("X-Trailer").has_value());
    CHECK(r.requests[3].method == "DELETE");
  }
}

TEST_CASE("consumed stops at the end of the request", "[http][request]") {
  request_parser p;
  std::string bytes = "GET / HTTP/1.1\r\n\r\nGET /next";
  REQUIRE(p.feed(bytes) == parse_state::complete);
  CHECK(p.consumed() == 18);
  CHECK(p.get().target == "/");
  // Complete: further bytes are not consumed until take().
  CHECK(p.feed("more") == parse_state::complete);
  CHECK(p.consumed() == 0);
  auto req = p.take();
  CHECK(req.target == "/");
  CHECK(p.feed(std::string_view(bytes).substr(18)) == parse_state::need_more);
  CHECK(p.consumed() == 9);
  CHECK(p.feed(" HTTP/1.1\r\n\r\n") == parse_state::complete);
  CHECK(p.get().target == "/next");
}

TEST_CASE("header values are trimmed and names keep their case", "[http][request]") {
  request_parser p;
  REQUIRE(p.feed("GET / HTTP/1.1\r\nX-A: \t spaced value \t\r\nx-a: second\r\n\r\n") == parse_state::complete);
  const auto& h = p.get().headers;
  REQUIRE(h.items.size() == 2);
  CHECK(h.items[0].first == "X-A");
  CHECK(h.items[0].second == "spaced value");
  CHECK(h.get("X-a") == std::optional<std::string_view>("spaced value"));
}

TEST_CASE("identical Content-Length values are accepted", "[http][request]") {
  request_parser p;
  REQUIRE(p.feed("POST / HTTP/1.1\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nok") == parse_state::complete);
  CHECK(p.get().body == "ok");
}

TEST_CASE("malformed requests are refused with a reason", "[http][request]") {
  struct bad {
    std::string bytes;
    std::string expect;
  };
  std::vector<bad> cases = {
    {"GET /\r\n\r\n", "bad target"},
    {"GET  / HTTP/1.1\r\n\r\n", "bad target"},
    {"GET / HTTP/1.1 x\r\n\r\n", "bad version"},
    {"G(T / HTTP/1.1\r\n\r\n", "bad method"},
    {"GET /\x01 HTTP/1.1\r\n\r\n", "bad target"},
    {"GET / HTTP/2.0\r\n\r\n", "bad version"},
    {"GET / HTTP/1.2\r\n\r\n", "bad version"},
    {"GET / http/1.1\r\n\r\n", "bad version"},
    {"GET / HTTP/1.1\n\n", "bad"},
    {"GET / HTTP/1.1\r\nA: b\n\r\n", "bad"},
    {"GET / HTTP/1.1\r\nA: b\rc\r\n\r\n", "bad line ending"},
    {"GET / HTTP/1.1\r\nNoColon\r\n\r\n", "bad field"},
    {"GET / HTTP/1.1\r\nBad Name: x\r\n\r\n", "bad field"},
    {"GET / HTTP/1.1\r\nName : x\r\n\r\n", "bad field"},
    {"GET / HTTP/1.1\r\n: x\r\n\r\n", "bad field"},
    {std::string("GET / HTTP/1.1\r\nA: x\0y\r\n\r\n", 26), "bad value"},
    {"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", "bad Content-Length"},
    {"POST / HTTP/1.1\r\nContent-Length: +1\r\n\r\n", "bad Content-Length"},
    {"POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n", "bad Content-Length"},
    {"POST / HTTP/1.1\r\nContent-Length:\r\n\r\n", "bad Content-Length"},
    {"POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n", "bad Content-Length"},
    {"POST / HTTP/1.1\r\nContent-Length: 1, 2\r\n\r\n", "bad Content-Length"},
    {"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", "bad Content-Length"},
    {"POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", "bad Transfer-Encoding"},
    {"POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "unsupported Transfer-Encoding"},
    {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", "bad Transfer-Encoding"},
    {"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n",
     "unsupported Transfer-Encoding"},
    {"POST / HTTP/1.1\r\nTransfer-Encoding:\r\n\r\n", "unsupported Transfer-Encoding"},
    {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nz\r\n", "bad chunk"},
    {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", "bad chunk"},
    {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n", "bad chunk"},
    {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0x10\r\n\r\n", "bad chunk"},
    {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1 2\r\n", "bad chunk"},
    {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n", "bad chunk"},
    // Beast decides about the CRLF after chunk data once the next chunk line has begun.
    {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0", "bad chunk"},
    {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nbad trailer\r\n\r\n", "bad field"},
  };
  for (const auto& c : cases) {
    INFO(c.bytes);
    for (std::size_t step : {std::size_t{1}, c.bytes.size()}) {
      auto r = feed_in_slices(c.bytes, step);
      CHECK(r.last == parse_state::error);
      CHECK(r.error.find(c.expect) != std::string::npos);
    }
  }
}

TEST_CASE("after an error the parser stays failed until reset", "[http][request]") {
  request_parser p;
  REQUIRE(p.feed("BROKEN\r\n") == parse_state::error);
  CHECK(p.feed("GET / HTTP/1.1\r\n\r\n") == parse_state::error);
  CHECK(p.consumed() == 0);
  p.reset();
  CHECK(p.error().empty());
  CHECK(p.feed("GET / HTTP/1.1\r\n\r\n") == parse_state::complete);
}

TEST_CASE("header section limit", "[http][request][limits]") {
  limits lim;
  lim.max_header_bytes = 40;
  std::string error;
  std::string ok = "GET / HTTP/1.1\r\nA: " + std::string(17, '1') + "\r\n\r\n";
  REQUIRE(ok.size() == 40);
  CHECK(parse_all(ok, &error, lim) == parse_state::complete);
  std::string over = "GET / HTTP/1.1\r\nA: " + std::string(18, '1') + "\r\n\r\n";
  CHECK(parse_all(over, &error, lim) == parse_state::error);
  CHECK(error == "header limit exceeded");
  // A line that never ends is refused as soon as it passes the limit, byte by byte too.
  auto r = feed_in_slices("GET /" + std::string(100, 'a'), 1, lim);
  CHECK(r.last == parse_state::error);
  CHECK(r.error == "header limit exceeded");
  // Endless empty lines before the request line count as header bytes.
  std::string blank;
  for (int i = 0; i < 30; ++i) blank += "\r\n";
  CHECK(parse_all(blank, &error, lim) == parse_state::error);
}

TEST_CASE("body limit for Content-Length and chunked", "[http][request][limits]") {
  limits lim;
  lim.max_body_bytes = 4;
  std::string error;
  CHECK(parse_all("POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\nabcd", &error, lim) == parse_state::complete);
  CHECK(parse_all("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n", &error, lim) == parse_state::error);
  CHECK(error == "body limit exceeded");
  CHECK(parse_all("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n2\r\ncd\r\n0\r\n\r\n", &error,
                  lim) == parse_state::complete);
  CHECK(parse_all("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n3\r\n", &error, lim) ==
        parse_state::error);
  CHECK(error == "body limit exceeded");
}

TEST_CASE("trailer section limit", "[http][request][limits]") {
  limits lim;
  lim.max_header_bytes = 64;
  std::string bytes = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n";
  // The trailers wait for their end in the parser: held to the header limit as they arrive.
  auto r = feed_in_slices(bytes + "T: " + std::string(80, 'x') + "\r\n\r\n", 8, lim);
  CHECK(r.last == parse_state::error);
  CHECK(r.error == "chunk line or trailer section too large");
}

TEST_CASE("obsolete line folding is joined into the value", "[http][request]") {
  // RFC 9112 §5.2 lets a recipient replace obs-fold by spaces; Beast does.
  request_parser p;
  REQUIRE(p.feed("GET / HTTP/1.1\r\nA: x\r\n folded\r\nB: y\r\n\r\n") == parse_state::complete);
  CHECK(p.get().headers.get("A") == std::optional<std::string_view>("x folded"));
  CHECK(p.get().headers.get("B") == std::optional<std::string_view>("y"));
}

TEST_CASE("zero-length and missing bodies", "[http][request]") {
  request_parser p;
  CHECK(p.feed("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n") == parse_state::complete);
  CHECK(p.get().body.empty());
  p.reset();
  CHECK(p.feed("GET / HTTP/1.1\r\n\r\n") == parse_state::complete);
  p.reset();
  CHECK(p.feed("POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nab") == parse_state::need_more);
  CHECK(p.feed("c") == parse_state::complete);
  CHECK(p.get().body == "abc");
}

TEST_CASE("every prefix of a valid request needs more", "[http][request]") {
  std::string bytes = "POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n";
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    request_parser p;
    INFO("prefix " << n);
    CHECK(p.feed(bytes.substr(0, n)) == parse_state::need_more);
  }
  request_parser p;
  CHECK(p.feed(bytes) == parse_state::complete);
  CHECK(p.consumed() == bytes.size());
}

TEST_CASE("an empty chunked request body completes at every cut", "[http][request]") {
  // The last chunk right after the header, cut anywhere (boostorg/beast#2861, see parser.cpp).
  std::string bytes = "POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
  for (std::size_t cut = 1; cut < bytes.size(); ++cut) {
    request_parser p;
    INFO("cut at " << cut);
    REQUIRE(p.feed(bytes.substr(0, cut)) == parse_state::need_more);
    REQUIRE(p.feed(bytes.substr(cut)) == parse_state::complete);
    CHECK(p.get().body.empty());
  }
}
