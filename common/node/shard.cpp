#include "common/node/shard.hpp"

#include <cstdint>

namespace mpk::cluster {

namespace {

/// FNV-1a 64 over node, a separator and device, then a 64-bit finalizer (splitmix) so that
/// similar names do not give correlated weights.
std::uint64_t weight(std::string_view node, std::string_view device) {
  std::uint64_t h = 1469598103934665603ull;
  auto mix = [&](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
  };
  mix(node);
  mix(std::string_view("\0", 1));
  mix(device);
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  return h;
}

} // namespace

std::string owner_of(std::string_view device, const std::vector<std::string>& nodes) {
  const std::string* best = nullptr;
  std::uint64_t best_w = 0;
  for (auto& n : nodes) {
    auto w = weight(n, device);
    if (!best || w > best_w || (w == best_w && n < *best)) {
      best = &n;
      best_w = w;
    }
  }
  return best ? *best : std::string();
}

} // namespace mpk::cluster
