#include "common/actors/await_quiet.hpp"

#include <thread>

namespace mpk {

bool await_quiet(caf::actor_system& sys, std::chrono::milliseconds limit, const std::function<bool()>& network_idle) {
  auto quiet = [&] { return sys.registry().running() == 0 && (!network_idle || network_idle()); };
  auto deadline = std::chrono::steady_clock::now() + limit;
  // Polled: CAF 0.17 offers a blocking wait for zero running actors only without a deadline.
  while (!quiet()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

} // namespace mpk
