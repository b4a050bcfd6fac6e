// Response parsing (Beast behind common/http/parser.hpp): the three body framings, bodyless
// statuses, finish() and refusals.
#include "common/http/parser.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

using namespace mpk::http;

namespace {

/// Feeds one byte at a time; returns the state after the last byte (or the first error).
parse_state feed_bytewise(response_parser& p, std::string_view bytes) {
  auto st = parse_state::need_more;
  for (char c : bytes) {
    st = p.feed(std::string_view(&c, 1));
    if (st != parse_state::need_more) break;
  }
  return st;
}

} // namespace

TEST_CASE("Content-Length response byte by byte", "[http][response]") {
  response_parser p;
  std::string bytes = "HTTP/1.1 200 OK\r\nContent-Type: image/bmp\r\nContent-Length: 4\r\n\r\n";
  bytes += std::string("BM\0\1", 4);
  REQUIRE(feed_bytewise(p, bytes) == parse_state::complete);
  CHECK(p.get().status == 200);
  CHECK(p.get().reason == "OK");
  CHECK(p.get().headers.get("content-type") == std::optional<std::string_view>("image/bmp"));
  CHECK(p.get().body == std::string("BM\0\1", 4));
  CHECK(p.finish() == parse_state::complete);
}

TEST_CASE("chunked response with trailers ignored", "[http][response]") {
  std::string bytes =
    "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: Chunked\r\n\r\n"
    "5\r\nhello\r\n1;name=\"v\"\r\n \r\n5\r\nworld\r\n0\r\nExpires: never\r\nX: y\r\n\r\n";
  for (bool bytewise : {true, false}) {
    response_parser p;
    auto st = bytewise ? feed_bytewise(p, bytes) : p.feed(bytes);
    REQUIRE(st == parse_state::complete);
    CHECK(p.get().status == 404);
    CHECK(p.get().reason == "Not Found");
    CHECK(p.get().body == "hello world");
    CHECK_FALSE(p.get().headers.get("Expires").has_value());
  }
}

TEST_CASE("response without length is read until close", "[http][response]") {
  response_parser p;
  REQUIRE(p.feed("HTTP/1.0 200 OK\r\nServer: phone\r\n\r\nfirst ") == parse_state::need_more);
  REQUIRE(p.feed("second") == parse_state::need_more);
  REQUIRE(p.finish() == parse_state::complete);
  CHECK(p.get().version == "HTTP/1.0");
  CHECK(p.get().body == "first second");
  auto res = p.take();
  CHECK(res.body == "first second");
  CHECK(p.get().body.empty());
}

TEST_CASE("until-close body is bounded", "[http][response][limits]") {
  limits lim;
  lim.max_body_bytes = 8;
  response_parser p{lim};
  REQUIRE(p.feed("HTTP/1.1 200 OK\r\n\r\n12345678") == parse_state::need_more);
  CHECK(p.feed("9") == parse_state::error);
  CHECK(p.error() == "body limit exceeded");
}

TEST_CASE("finish before the end of a framed message is an error", "[http][response]") {
  {
    response_parser p;
    CHECK(p.finish() == parse_state::error);
    CHECK(p.error() == "connection closed before a response");
  }
  {
    response_parser p;
    REQUIRE(p.feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc") == parse_state::need_more);
    CHECK(p.finish() == parse_state::error);
    CHECK(p.error() == "connection closed before the end of the message");
  }
  {
    response_parser p;
    REQUIRE(p.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab") == parse_state::need_more);
    CHECK(p.finish() == parse_state::error);
  }
  {
    response_parser p;
    REQUIRE(p.feed("HTTP/1.1 200 OK\r\nContent-Le") == parse_state::need_more);
    CHECK(p.finish() == parse_state::error);
  }
}

TEST_CASE("bodyless statuses and HEAD", "[http][response]") {
  for (int status : {100, 101, 204, 304}) {
    response_parser p;
    std::string bytes = "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: 5\r\n\r\n";
    INFO(status);
    CHECK(p.feed(bytes + "next") == parse_state::complete);
    CHECK(p.consumed() == bytes.size());
    CHECK(p.get().body.empty());
  }
  response_parser p;
  p.expect_no_body();
  CHECK(p.feed("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n") == parse_state::complete);
  p.take();
  CHECK(p.feed("HTTP/1.1 200 OK\r\n\r\n") == parse_state::complete); // still HEAD
  p.expect_no_body(false);
  p.reset();
  CHECK(p.feed("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n") == parse_state::need_more);
}

TEST_CASE("100 Continue followed by the final response", "[http][response]") {
  response_parser p;
  std::string bytes = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok";
  REQUIRE(p.feed(bytes) == parse_state::complete);
  CHECK(p.get().status == 100);
  auto rest = std::string_view(bytes).substr(p.consumed());
  p.take();
  REQUIRE(p.feed(rest) == parse_state::complete);
  CHECK(p.get().status == 201);
  CHECK(p.get().body == "ok");
}

TEST_CASE("status line forms", "[http][response]") {
  response_parser p;
  // An empty reason reads as the status's standard phrase (Beast's reason()).
  REQUIRE(p.feed("HTTP/1.1 500 \r\nContent-Length: 0\r\n\r\n") == parse_state::complete);
  CHECK(p.get().status == 500);
  CHECK(p.get().reason == "Internal Server Error");
  p.reset();
  REQUIRE(p.feed("HTTP/1.1 401 Unauthorized  really\r\nContent-Length: 0\r\n\r\n") == parse_state::complete);
  CHECK(p.get().reason == "Unauthorized  really");
}

TEST_CASE("bad status lines are refused", "[http][response]") {
  std::vector<std::string> cases = {
    "\r\n",
    "HTTP/1.1\r\n",
    "HTTP/1.1 200\r\n", // RFC 9112 §4: the SP before an empty reason is not optional
    "HTTP/1.1 \r\n",
    "HTTP/1.1 20\r\n",
    "HTTP/1.1 2000 OK\r\n",
    "HTTP/1.1 099 OK\r\n",
    "HTTP/1.1 600 OK\r\n",
    "HTTP/1.1 -20 OK\r\n",
    "HTTP/1.1 +20 OK\r\n",
    "HTTP/1.1 2x0 OK\r\n",
    "HTTP/1.1  200 OK\r\n",
    "HTTP/1.1 200\tOK\r\n",
    "HTTP/3 200 OK\r\n",
    "ICY 200 OK\r\n",
    "HTTP/1.1 200 O\x01K\r\n",
    "HTTP/1.1 200 OK\n",
  };
  for (const auto& line : cases) {
    INFO(line);
    response_parser p;
    auto st = p.feed(line + "\r\n");
    if (st == parse_state::need_more) // too short to be refused yet: the close decides
      st = p.finish();
    CHECK(st == parse_state::error);
    CHECK_FALSE(p.error().empty());
  }
}

TEST_CASE("response framing errors", "[http][response]") {
  std::vector<std::string> cases = {
    "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
    "HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551616\r\n\r\n",
    "HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551615\r\n\r\n",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\n",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nabcdef", // no CRLF after the chunk
  };
  for (const auto& bytes : cases) {
    INFO(bytes);
    response_parser p;
    CHECK(p.feed(bytes) == parse_state::error);
    CHECK_FALSE(p.error().empty());
  }
}

TEST_CASE("chunk size line is bounded", "[http][response][limits]") {
  response_parser p;
  REQUIRE(p.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n") == parse_state::need_more);
  CHECK(p.feed("1;" + std::string(17000, 'x')) == parse_state::error);
  CHECK(p.error() == "chunk line or trailer section too large");
}

TEST_CASE("keep-alive: responses back to back, fed byte by byte", "[http][response]") {
  std::string bytes =
    "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none"
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\ntwo\r\n0\r\n\r\n"
    "HTTP/1.1 204 No Content\r\n\r\n";
  response_parser p;
  std::vector<response> got;
  for (char c : bytes) {
    std::string_view one(&c, 1);
    auto st = p.feed(one);
    REQUIRE(st != parse_state::error);
    if (st == parse_state::complete) {
      CHECK(p.consumed() == 1);
      got.push_back(p.take());
    }
  }
  REQUIRE(got.size() == 3);
  CHECK(got[0].body == "one");
  CHECK(got[1].body == "two");
  CHECK(got[2].status == 204);
}

// A socket may cut a message anywhere. Around a last chunk Beast 1.74 needs at least 5 bytes back
// after a "need more" (boostorg/beast#2861): the reader holds fewer back, and this shows that it
// still completes every message, cut in two at every point or fed byte by byte. (The assertion
// itself is only compiled in the fuzz build: fuzz/regressions/http_response.)
TEST_CASE("chunked responses complete at every cut", "[http][response]") {
  const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::vector<std::pair<std::string, std::string>> bodies = {
    {"0\r\n\r\n", ""},         {"000\r\n\r\n", ""},          {"0;ext=1\r\n\r\n", ""},
    {"0\r\nX: y\r\n\r\n", ""}, {"1\r\na\r\n0\r\n\r\n", "a"}, {"3\r\nabc\r\n1\r\nd\r\n0\r\nT: v\r\n\r\n", "abcd"},
  };
  for (const auto& [chunks, body] : bodies) {
    const std::string bytes = head + chunks;
    INFO(chunks);
    for (std::size_t cut = 1; cut < bytes.size(); ++cut) {
      INFO("cut at " << cut);
      response_parser p;
      REQUIRE(p.feed(std::string_view(bytes).substr(0, cut)) == parse_state::need_more);
      REQUIRE(p.feed(std::string_view(bytes).substr(cut)) == parse_state::complete);
      CHECK(p.consumed() == bytes.size() - cut);
      CHECK(p.get().body == body);
    }
    response_parser p;
    REQUIRE(feed_bytewise(p, bytes) == parse_state::complete);
    CHECK(p.get().body == body);
    // The next response on the same connection, after take(), is read the same way.
    p.take();
    CHECK(feed_bytewise(p, bytes) == parse_state::complete);
  }
}
