#pragma once
/// The soak's report: one table row per interval while it runs (RSS of every process, the load,
/// the churn, what the clients counted), then the RSS growth after the warm-up, the totals, the
/// first findings in words and the verdict.

#include "bench/soak/rss_sampler.hpp"
#include "bench/soak/soak_counters.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace mpk::soak {

struct verdict_limits {
  double max_growth_percent = 5;
  std::vector<std::string> judged; ///< the processes whose growth counts (the product's)
};

class report {
public:
  report(const rss_sampler& rss, const soak_counters& counters);
  /// Prints the header of the table.
  void header() const;
  /// Prints one row for now; `churned` is the churn's total so far.
  void row(std::uint64_t churned);
  /// Prints everything after the run; true when the verdict passes.
  bool finish(double warmup_s, double window_s, const verdict_limits& limits) const;

private:
  const rss_sampler& rss_;
  const soak_counters& c_;
  std::vector<std::string> rows_;
  double last_t_ = 0;
  std::uint64_t last_churn_ = 0, last_deltas_ = 0, last_frames_ = 0;
};

/// The 1-minute load average of the machine.
double load_average();

} // namespace mpk::soak
