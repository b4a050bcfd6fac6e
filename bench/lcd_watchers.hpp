#pragma once
/// The client side of the LCD scale benchmark: many browser-like websocket clients on one Asio
/// thread, each logged in as the operator, watching one phone (`Watch`) and acknowledging every
/// LCD frame at once (`FrameAck`), as the web app does. While key presses are on, each client
/// presses a key every `key_every_ms` (phases spread at random) and times it: from sending `Key`
/// to the first frame that shows the key's effect. The simulated phones change their clock every
/// second; a clock-only frame stays inside the top rows that the clock frames of the warm-up
/// touched, a key's frame reaches below them (the dial screen, digits, back to idle).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mpk::bench {

struct watch_options {
  std::string host = "127.0.0.1";
  unsigned short port = 0;
  std::string path = "/bench.example.com/myphonekeys";
  std::string operator_name = "bench", operator_password = "bench";
  std::vector<std::string> devices; ///< one client per device id
  int key_every_ms = 10000;
  int key_timeout_ms = 5000; ///< a key without its frame after this counts as lost
};

/// Totals over every client since the start (take differences for a window).
struct watch_counters {
  std::uint64_t frames = 0, full_frames = 0, frame_bytes = 0;
  std::uint64_t keys_sent = 0, keys_seen = 0, keys_lost = 0, key_errors = 0;
  std::uint64_t seq_errors = 0; ///< a frame whose seq did not advance (must stay 0)
  std::uint64_t dropped = 0;    ///< clients whose connection failed after their first frame
};

class lcd_watchers {
public:
  explicit lcd_watchers(watch_options o);
  ~lcd_watchers();
  lcd_watchers(const lcd_watchers&) = delete;
  lcd_watchers& operator=(const lcd_watchers&) = delete;

  /// Connects every client (in waves), logs in and watches; true when every client has its
  /// first frame within `timeout_ms`.
  bool start(int timeout_ms);
  int ready() const;
  int failed() const;
  /// The first failure reason seen ("" if none).
  std::string first_error() const;
  watch_counters counters() const;
  /// Key presses on or off. Turning them on ends the calibration of the clock rows.
  void set_keys(bool on);
  /// Key → changed frame latencies (ms) since the last call.
  std::vector<double> take_key_latencies();
  void stop();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace mpk::bench
