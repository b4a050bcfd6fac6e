#include "common/crypto/constant_time.hpp"

namespace mpk::crypto {

namespace {

/// Branch-free ASCII lower-casing: 'A'..'Z' gain 0x20, every other byte stays.
unsigned fold(unsigned char c) {
  unsigned is_upper = static_cast<unsigned>(static_cast<unsigned char>(c - 'A') < 26u);
  return c + (is_upper << 5);
}

} // namespace

bool digest_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    diff |= fold(static_cast<unsigned char>(a[i])) ^ fold(static_cast<unsigned char>(b[i]));
  return diff == 0;
}

} // namespace mpk::crypto
