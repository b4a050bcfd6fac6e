// Deterministic mutation stress: corrupted messages fed in random slices must end in a clear
// state with sane invariants (run under MPK_SANITIZE to catch memory errors).
#include "common/http/parser.hpp"
#include "common/http/url.hpp"

#include <catch2/catch.hpp>

using namespace mpk::http;

namespace {

struct rng {
  std::uint64_t state;
  std::uint32_t next() {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::uint32_t>(state >> 33);
  }
};

const char alphabet[] = "\r\n :;,%=&?+0123456789abcdefABCDEF-\t\x7f\xff";

std::string mutate(std::string s, rng& r) {
  for (int i = 0, n = 1 + static_cast<int>(r.next() % 4); i < n && !s.empty(); ++i) {
    auto at = r.next() % s.size();
    char c = alphabet[r.next() % (sizeof alphabet - 1)];
    switch (r.next() % 4) {
      case 0: s[at] = c; break;
      case 1: s.erase(at, 1 + r.next() % 3); break;
      case 2: s.insert(at, 1, c); break;
      default: s[at] = '\0'; break;
    }
  }
  return s;
}

/// Feeds `bytes` in random slices, taking each complete message and going on with the rest.
/// Returns the number of complete messages.
template <class Parser, class Check>
int feed_randomly(Parser& p, std::string_view bytes, rng& r, Check check) {
  int complete = 0;
  while (!bytes.empty()) {
    auto slice = bytes.substr(0, 1 + r.next() % 9);
    auto st = p.feed(slice);
    auto used = p.consumed();
    REQUIRE(used <= slice.size());
    if (st == parse_state::error) {
      REQUIRE_FALSE(p.error().empty());
      return complete;
    }
    REQUIRE(p.error().empty());
    if (st == parse_state::need_more)
      REQUIRE(used == slice.size());
    else
      check(p.take()), ++complete;
    bytes.remove_prefix(used);
  }
  return complete;
}

} // namespace

TEST_CASE("mutated requests never break the parser", "[http][mutation]") {
  const std::string seeds[] = {
    "GET /a?b=c HTTP/1.1\r\nHost: x\r\n\r\n",
    "POST /p HTTP/1.1\r\nContent-Length: 4\r\n\r\nbody",
    "PUT /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4;x\r\nabcd\r\n0\r\nT: v\r\n\r\n",
  };
  limits lim;
  lim.max_header_bytes = 256;
  lim.max_body_bytes = 64;
  rng r{42};
  int complete = 0;
  for (int round = 0; round < 4000; ++round) {
    auto bytes = mutate(seeds[round % 3] + seeds[(round + 1) % 3], r);
    request_parser p{lim};
    complete += feed_randomly(p, bytes, r, [&](const request& req) {
      REQUIRE(req.body.size() <= lim.max_body_bytes);
      REQUIRE_FALSE(req.method.empty());
      REQUIRE_FALSE(req.target.empty());
      // Any target the parser accepted can be split or refused, never crash.
      (void)split_target(req.target);
    });
  }
  CHECK(complete > 0); // the mutations leave many messages intact
}

TEST_CASE("mutated responses never break the parser", "[http][mutation]") {
  const std::string seeds[] = {
    "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc",
    "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n",
    "HTTP/1.1 100 Continue\r\n\r\n",
    "HTTP/1.0 200 OK\r\n\r\nuntil close",
  };
  limits lim;
  lim.max_header_bytes = 256;
  lim.max_body_bytes = 64;
  rng r{7};
  int complete = 0;
  for (int round = 0; round < 4000; ++round) {
    auto bytes = mutate(seeds[round % 4] + seeds[(round + 2) % 4], r);
    response_parser p{lim};
    auto check = [&](const response& res) {
      REQUIRE(res.status >= 100);
      REQUIRE(res.status <= 599);
      REQUIRE(res.body.size() <= lim.max_body_bytes);
    };
    complete += feed_randomly(p, bytes, r, check);
    auto st = p.finish();
    if (st == parse_state::complete)
      check(p.get());
    else
      REQUIRE_FALSE(p.error().empty());
  }
  CHECK(complete > 0);
}

TEST_CASE("mutated targets never break the URL helpers", "[http][mutation]") {
  rng r{3};
  for (int round = 0; round < 4000; ++round) {
    auto target = mutate("/p%41th/x?a=1&b=%7e+c&&d", r);
    auto parts = split_target(target);
    if (parts) (void)query_value(*parts, "a");
    auto decoded = url_decode(target);
    if (decoded) CHECK(url_decode(url_encode(*decoded)) == decoded);
  }
}
