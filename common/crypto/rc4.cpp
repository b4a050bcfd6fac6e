#include "common/crypto/rc4.hpp"

#include <array>
#include <cstdint>
#include <utility>

namespace mpk::crypto {

// Our own RC4 on purpose: OpenSSL 3 moved RC4 into the "legacy" provider (EVP_rc4 fails
// unless that provider is loaded) and deprecated the low-level RC4_set_key/RC4. The
// algorithm is a few lines and has no configuration to get wrong.
std::string rc4(std::string_view key, std::string_view data) {
  if (key.empty()) return std::string(data);
  std::array<std::uint8_t, 256> s{};
  for (std::size_t i = 0; i < s.size(); ++i) s[i] = static_cast<std::uint8_t>(i);
  std::uint8_t j = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    j = static_cast<std::uint8_t>(j + s[i] + static_cast<std::uint8_t>(key[i % key.size()]));
    std::swap(s[i], s[j]);
  }
  std::string out(data);
  std::uint8_t a = 0;
  std::uint8_t b = 0;
  for (char& c : out) {
    a = static_cast<std::uint8_t>(a + 1);
    b = static_cast<std::uint8_t>(b + s[a]);
    std::swap(s[a], s[b]);
    c = static_cast<char>(static_cast<std::uint8_t>(c) ^ s[static_cast<std::uint8_t>(s[a] + s[b])]);
  }
  return out;
}

} // namespace mpk::crypto
