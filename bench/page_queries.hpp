#pragma once
/// Target 3's browser paging while the fan-out runs: on its own connection and thread, a page of
/// 100 devices with a search term and the online filter every 50 ms, each timed from request to
/// answer.

#include "bench/load_gen.hpp"

#include <atomic>
#include <thread>
#include <vector>

namespace mpk::bench {

class page_queries {
public:
  /// Starts querying the gateway that `o` names, logged in as its operator.
  explicit page_queries(const load_options& o);
  ~page_queries();
  /// Stops and returns the latencies in ms.
  std::vector<double> stop();

private:
  std::atomic<bool> running_{true};
  std::vector<double> ms_;
  std::thread thread_;
};

} // namespace mpk::bench
