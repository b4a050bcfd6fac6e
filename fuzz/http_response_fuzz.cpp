// Fuzz target: the bytes a phone (through the Devices passthrough) answers to an HTTP request, read
// by common/http/parser.hpp (Boost.Beast's http::response_parser on plain buffers).
// The first byte picks how the rest is cut into feed() calls and whether the request was HEAD,
// so the parser's state across partial reads is exercised as a socket would deliver them.
// Several responses may follow each other on one keep-alive connection.

#include "common/http/parser.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t step = 1 + (data[0] & 0x3f); // 1..64 bytes per read
  const bool head = (data[0] & 0x40) != 0;
  const bool tight = (data[0] & 0x80) != 0; // small limits: reach the limit errors
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);

  mpk::http::limits lim;
  if (tight) lim = mpk::http::limits{256, 1024};
  mpk::http::response_parser p(lim);
  p.expect_no_body(head);
  int responses = 0;
  std::size_t pos = 0;
  while (pos < bytes.size() && responses < 32) {
    auto piece = bytes.substr(pos, step);
    auto st = p.feed(piece);
    auto used = p.consumed();
    if (used > piece.size()) std::abort(); // it cannot have used bytes it was not given
    if (st == mpk::http::parse_state::error) {
      if (p.error().empty()) std::abort();
      return 0;
    }
    if (st == mpk::http::parse_state::complete) {
      auto r = p.take();
      if (r.body.size() > lim.max_body_bytes) std::abort();
      ++responses;
      pos += used;
      continue;
    }
    if (used != piece.size()) std::abort(); // need_more swallows the whole piece
    pos += piece.size();
  }
  if (p.finish() == mpk::http::parse_state::complete) {
    if (p.get().body.size() > lim.max_body_bytes) std::abort();
  }
  return 0;
}
