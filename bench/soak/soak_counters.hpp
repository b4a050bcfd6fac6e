#pragma once
/// What every client of the soak adds up, read by the report while the clients run: counters
/// (atomics, written on the clients' thread) and the first few findings in words.

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace mpk::soak {

struct soak_counters {
  // Requests (every client): each has a deadline; an answer after it still counts as late.
  std::atomic<std::uint64_t> requests{0}, answered{0}, unanswered{0}, late{0};
  std::atomic<std::uint64_t> error_answers{0}, undocumented_errors{0}, internal_texts{0};
  std::atomic<std::uint64_t> open_at_close{0}; ///< requests open when the service closed the connection
  std::atomic<std::int64_t> open_now{0};       ///< requests waiting for their answer right now
  std::atomic<std::uint64_t> logins{0}, login_failures{0}, service_closes{0};
  // Device lists.
  std::atomic<std::uint64_t> pages{0}, resumed_pages{0}, resubscribed_pages{0};
  std::atomic<std::uint64_t> delta_messages{0}, merged_messages{0}, lost{0}, duplicated{0};
  std::atomic<std::uint64_t> device_skips{0}, device_regressions{0};
  // Watched phones.
  std::atomic<std::uint64_t> watches{0}, watch_errors{0}, frames{0}, frame_seq_errors{0}, keys{0}, key_errors{0};
  std::atomic<std::uint64_t> states_online{0}, states_offline{0}, states_stale{0}, states_connecting{0},
    states_error{0};
  /// `offline` within 30 s of a Devices App restart: its phones' links dropped too, and the Devices
  /// App reports them offline until they are back (true, and no finding); states_offline counts the rest.
  std::atomic<std::uint64_t> states_offline_devices_restart{0};
  std::atomic<double> devices_restart_at{-1e9}; ///< soak seconds of the last Devices App restart

  /// Keeps `what` (with the soak's time in front) among the first `max_notes` findings.
  void note(const std::string& what);
  std::vector<std::string> notes() const;
  /// Counts one error answer by request and code ("Key OFFLINE"); the first errorText of each is kept.
  void count_error(const std::string& request_and_code, const std::string& text);
  struct error_count {
    std::uint64_t n = 0;
    std::string first_text;
  };
  std::map<std::string, error_count> errors_by_code() const;

  static constexpr std::size_t max_notes = 60;

private:
  mutable std::mutex mu_;
  std::vector<std::string> notes_;
  std::map<std::string, error_count> by_code_;
  std::uint64_t dropped_ = 0;
};

/// Seconds since the soak started (the time in every note and report line).
double soak_seconds();

} // namespace mpk::soak
