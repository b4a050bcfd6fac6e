#include "services/phone-session/lcd/fingerprint.hpp"

#include <cstring>

namespace mpk::lcd {
namespace {

constexpr std::uint64_t c1 = 0x87c37b91114253d5ull;
constexpr std::uint64_t c2 = 0x4cf5ad432745937full;

std::uint64_t rotl(std::uint64_t v, int r) { return (v << r) | (v >> (64 - r)); }

/// MurmurHash3 finaliser: every input bit affects every output bit.
std::uint64_t fmix(std::uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdull;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ull;
  k ^= k >> 33;
  return k;
}

std::uint64_t mix_word(std::uint64_t k) { return rotl(k * c1, 31) * c2; }

}  // namespace

std::uint64_t fingerprint(std::string_view raw) {
  std::uint64_t h = 0x9e3779b97f4a7c15ull ^ (raw.size() * c2);
  const char* p = raw.data();
  std::size_t n = raw.size();
  for (; n >= 8; n -= 8, p += 8) {
    std::uint64_t k;
    std::memcpy(&k, p, 8);  // alignment-safe load
    h ^= mix_word(k);
    h = rotl(h, 27) * 5 + 0x52dce729;
  }
  std::uint64_t tail = 0;
  for (std::size_t i = 0; i < n; ++i)
    tail |= static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  h ^= mix_word(tail);
  return fmix(h);
}

}  // namespace mpk::lcd
