#include "services/registry/backoff.hpp"

#include <algorithm>

namespace mpk::registry {

backoff::backoff(std::chrono::milliseconds min, std::chrono::milliseconds max, std::uint64_t seed)
    : min_(std::max(min, std::chrono::milliseconds(1))), max_(std::max(max, min_)), current_(min_), rng_(seed) {}

std::chrono::milliseconds backoff::next() {
  auto base = current_;
  current_ = std::min(current_ * 2, max_);
  std::uniform_real_distribution<double> jitter(0.8, 1.2);
  auto ms = static_cast<std::int64_t>(static_cast<double>(base.count()) * jitter(rng_));
  return std::chrono::milliseconds(std::max<std::int64_t>(ms, 1));
}

} // namespace mpk::registry
