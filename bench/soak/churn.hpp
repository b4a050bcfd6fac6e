#pragma once
/// Device churn through the simulator's control interface (docs/simulator.md, Control): a steady
/// rate of changes to the devices the product lists, each a rename to `soak <id> <n>` (n counts
/// that device's changes, which delta_stream checks) and every fourth one also an online flip.
/// Runs on its own thread; a Devices App restart pauses it (changes made while the Devices App
/// is down reach the product as one resync, not as one delta each).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace mpk::soak {

class churn {
public:
  /// `sim_base` "http://127.0.0.1:<port>"; `device_ids`: the simulator's ids of the devices to change.
  churn(std::string sim_base, std::vector<std::int64_t> device_ids, double per_second);
  ~churn();
  void start();
  void stop();
  /// No changes until `d` from now.
  void pause_for(std::chrono::milliseconds d);
  std::uint64_t changes() const { return changes_; }
  std::uint64_t failures() const { return failures_; }

private:
  void run();
  bool change_one();

  std::string base_;
  std::vector<std::int64_t> ids_;
  std::map<std::int64_t, std::uint64_t> count_;
  std::map<std::int64_t, bool> online_;
  double rate_;
  std::size_t next_ = 0;
  std::atomic<bool> running_{false};
  std::atomic<std::int64_t> paused_until_ns_{0};
  std::atomic<std::uint64_t> changes_{0}, failures_{0};
  std::thread thread_;
};

} // namespace mpk::soak
