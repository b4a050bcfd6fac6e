// Fuzz target: HTTP Digest headers. A phone's WWW-Authenticate reaches mpk-wirecheck, and any
// client's Authorization reaches the simulator's phones; neither may crash or accept a forgery.

#include "common/crypto/http_digest.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

using namespace mpk::crypto::http_digest;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  static const server s("innovaphone IP222", "admin", "secret");
  // Random bytes never pass for an answer made with the password (they cannot know the nonce's seal).
  auto v = s.check("GET", "/lcd_dump.bmp", text);
  if (v == server::verdict::ok) std::abort();
  (void)parse_params(text);
  if (auto c = parse_challenge(text)) {
    if (c->nonce.empty()) std::abort();
    auto answer = authorization(*c, "admin", "pw", "GET", "/x", 1, "cnonce");
    if (!parse_params(answer)) std::abort();
  }
  return 0;
}
