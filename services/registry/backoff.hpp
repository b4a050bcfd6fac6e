#pragma once
/// Reconnect delays: from `min`, doubling up to `max`, each with ±20 % jitter so that many
/// links do not hammer a restarted instance in step.

#include <chrono>
#include <cstdint>
#include <random>

namespace mpk::registry {

class backoff {
public:
  backoff(std::chrono::milliseconds min, std::chrono::milliseconds max, std::uint64_t seed);
  /// The next delay (jittered); the one after it is twice as long (capped).
  std::chrono::milliseconds next();
  /// After a success: start from `min` again.
  void reset() { current_ = min_; }

private:
  std::chrono::milliseconds min_, max_, current_;
  std::mt19937_64 rng_;
};

} // namespace mpk::registry
