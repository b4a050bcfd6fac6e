#pragma once
/// Who gets which LCD frame when: the pacing rule of a shared phone screen.
///
/// Every watcher gets its next frame only after it acknowledged the last one, so each browser
/// receives updates at the pace of its own connection. The pacer keeps, per watcher, the seq of
/// the last frame sent, whether it was acknowledged, and the picture the watcher shows; a
/// watcher that lagged behind gets one catch-up frame (a delta against what it shows, or a
/// full frame) as soon as it acknowledges. Pure logic: no actors, no I/O.

#include "services/phone-session/lcd/image.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace mpk::session {

using watcher_id = std::uint64_t;

/// One frame to deliver: the wire bytes of docs/app-protocol.md §4.
struct outgoing_frame {
  watcher_id to = 0;
  std::uint32_t seq = 0;
  bool full = false;
  std::shared_ptr<const std::string> bytes; ///< shared by every watcher that gets the same update
};

class frame_pacer {
public:
  using clock = std::chrono::steady_clock;

  explicit frame_pacer(std::string device) : device_(std::move(device)) {}

  /// A new watcher shows nothing and is ready; when a screen is known it gets a full frame now.
  std::vector<outgoing_frame> add(watcher_id w);
  /// False if the watcher was not there.
  bool remove(watcher_id w);
  bool contains(watcher_id w) const { return watchers_.count(w) != 0; }
  std::size_t size() const { return watchers_.size(); }
  bool empty() const { return watchers_.empty(); }
  /// True when at least one watcher acknowledged its last frame (or has none yet): only then
  /// is it worth polling the phone.
  bool any_ready() const;

  /// A freshly decoded screen. If it differs from the current one the seq advances and every
  /// ready watcher gets the update against what it shows (encoded once per distinct picture);
  /// watchers still waiting for an ack get nothing now. An identical picture gives nothing.
  std::vector<outgoing_frame> publish(lcd::image img);

  /// `seq` acknowledged by `w`. When it matches the last frame sent the watcher is ready again
  /// and, if the screen moved on meanwhile, gets a catch-up frame at once. Stale or unknown
  /// acks change nothing.
  std::vector<outgoing_frame> ack(watcher_id w, std::uint32_t seq);

  /// Watchers whose last frame has waited `timeout` or longer for its ack count it as lost (a
  /// client that dropped it, or a message lost between nodes): each gets the current picture as
  /// a full frame again, so one lost frame cannot freeze that watcher's screen for good. A slow
  /// client that was still going to ack gets one extra full frame per `timeout` at most.
  std::vector<outgoing_frame> resend_unacked(clock::time_point now, clock::duration timeout);
  /// True while a watcher waits for an ack (the session then keeps checking for lost frames).
  bool any_awaiting() const;

  /// Forgets the current picture and what every watcher shows: the next publish is a full
  /// frame to every watcher (the phone came back, the picture may be from another boot).
  void reset();

  std::uint32_t seq() const { return seq_; }
  const lcd::image* current() const { return current_.get(); }
  std::uint64_t frames_sent() const { return frames_sent_; }

private:
  struct watcher {
    std::uint32_t last_sent = 0;
    bool awaiting_ack = false;
    clock::time_point sent_at{};             ///< when last_sent went out
    std::shared_ptr<const lcd::image> shows; ///< nullptr: nothing yet (needs a full frame)
  };

  /// Brings `w` from what it shows to the current picture; appends to `out` if there is
  /// anything to send. `cache` shares one encoding per starting picture.
  void update(watcher_id id, watcher& w, std::map<const lcd::image*, std::shared_ptr<const std::string>>& cache,
              std::vector<outgoing_frame>& out);

  std::string device_;
  std::map<watcher_id, watcher> watchers_;
  std::shared_ptr<const lcd::image> current_;
  std::uint32_t seq_ = 0;
  std::uint64_t frames_sent_ = 0;
};

} // namespace mpk::session
