#pragma once
// The gateway's open browser connections, held weakly: a shutdown closes each of them (and any
// that completes its handshake afterwards), /metrics reads the largest send queue.

#include "common/net/connection.hpp"

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace mpk::gateway {

/// Every open connection, so that a shutdown can tell each peer and close it.
class connection_set {
public:
  void add(const net::connection_ptr& c);
  /// Closes every live connection with 1001 "going away", and every one added from then on.
  void close_all(const std::string& reason);
  /// The largest send queue of one live connection, in bytes: a browser that does not keep up.
  std::size_t most_queued_bytes() const;
  /// Connections still held by anyone: open, closing, or kept by an actor that has not quit.
  std::size_t live() const;

private:
  mutable std::mutex m_;
  std::vector<std::weak_ptr<net::connection>> items_;
  std::string closed_reason_; ///< set by close_all
};

} // namespace mpk::gateway
