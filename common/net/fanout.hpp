#pragma once
// One message to many connections with ONE hand-over to the network threads.
//
// Sending to 1,000 connections one by one (connection::send_text_parts) posts 1,000 handlers
// from the sender's thread into the network's queue: an allocation freed on another thread, the
// queue's lock taken against the network thread 1,000 times, each connection's strand entered
// from outside. A fanout_channel posts one task per message; on a network thread it enters the
// connections' strands in slices, so that requests and replies of other clients that arrive
// meanwhile are served between two slices instead of after the whole fan-out.

#include "common/net/connection.hpp"

#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace mpk::net {

struct fanout_target {
  connection_ptr conn;
  std::shared_ptr<const std::string> prefix; ///< this connection's head of the message
};

/// Connections entered per slice before the network thread serves its other work.
inline constexpr std::size_t fanout_slice = 64;

/// The messages of one sender (e.g. a gateway's delta hub), delivered in the order sent: each
/// connection gets them in send order, also with several network threads. Thread-safe.
class fanout_channel : public std::enable_shared_from_this<fanout_channel> {
public:
  static std::shared_ptr<fanout_channel> make() { return std::shared_ptr<fanout_channel>(new fanout_channel); }

  /// Sends ONE text message `*t.prefix + *body` to every target (written from two buffers; the
  /// body is never copied). The bytes count in each target's queued_bytes() at once, on the
  /// caller's thread; a target over its cap is closed, the others go on. All targets must belong
  /// to the same io_runtime.
  void send(std::vector<fanout_target> targets, std::shared_ptr<const std::string> body);

  /// While messages are still on their way: `f` runs once on a network thread as soon as every
  /// message sent so far has been handed to its connection's queue, and this returns true (a
  /// later call before that replaces `f`). When nothing is on its way it returns false and
  /// never calls `f`. Lets a sender merge what comes while the network is busy and send it the
  /// moment the network is free: the pace adapts to the load without a fixed wait.
  bool notify_when_idle(std::function<void()> f);

  /// True while messages sent are still on their way to their connections' queues.
  bool busy();

private:
  struct job {
    std::vector<fanout_target> targets;
    std::shared_ptr<const std::string> body;
    std::size_t next = 0;
  };
  fanout_channel() = default;
  void run_slice(); ///< on a network thread; one runner at a time keeps the send order

  std::mutex m_;
  std::deque<job> jobs_;
  bool running_ = false;
  std::function<void()> on_idle_; ///< asked by notify_when_idle while running
};

} // namespace mpk::net
