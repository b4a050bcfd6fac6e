#pragma once
/// RSS and open descriptors of every process of the deployment over time, from /proc/<pid>/status
/// (VmRSS) and /proc/<pid>/fd. A process that is restarted on purpose (the registry) has several
/// lives; each sample says which.

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <atomic>
#include <utility>
#include <vector>

namespace mpk::soak {

struct rss_sample {
  double t = 0; ///< soak seconds
  int pid = 0;
  double mb = 0;
  int fds = 0; ///< open descriptors
};

/// Growth of one process after the warm-up. One life: the mean of the samples in the first
/// window after the warm-up against the mean of the last window. Several lives (restarted on
/// purpose): the RSS at the end of each life that began after the warm-up, first against last.
struct rss_growth {
  std::string process;
  double base_mb = 0, end_mb = 0, percent = 0;
  int base_fds = 0, end_fds = 0; ///< the first sample after the warm-up, the last one
  int lives = 0;
  bool measured = false;
};

class rss_sampler {
public:
  /// `processes()` names the running processes and their current pids (0: not running now).
  using process_list = std::function<std::vector<std::pair<std::string, int>>()>;
  rss_sampler(process_list processes, std::chrono::seconds every);
  ~rss_sampler();
  void start();
  void stop();
  /// Takes one sample of every process now.
  void sample();

  /// The newest sample at or before `t` of each process.
  std::map<std::string, rss_sample> at(double t) const;
  std::vector<std::string> names() const;
  std::vector<rss_growth> growth(double warmup_s, double window_s) const;

private:
  process_list processes_;
  std::chrono::seconds every_;
  mutable std::mutex mu_;
  std::vector<std::string> order_;
  std::map<std::string, std::vector<rss_sample>> series_;
  std::atomic<bool> running_{false};
  std::thread thread_;
};

} // namespace mpk::soak
