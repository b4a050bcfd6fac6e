#include "common/crypto/hex.hpp"

namespace mpk::crypto {

namespace {

constexpr char digits[] = "0123456789abcdef";

/// -1 for a non-hex character.
int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

} // namespace

std::string to_hex(std::string_view bytes) {
  std::string out;
  out.resize(bytes.size() * 2);
  std::size_t i = 0;
  for (unsigned char b : bytes) {
    out[i++] = digits[b >> 4];
    out[i++] = digits[b & 0x0f];
  }
  return out;
}

std::optional<std::string> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.resize(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    int hi = nibble(hex[2 * i]);
    int lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<char>((hi << 4) | lo);
  }
  return out;
}

} // namespace mpk::crypto
