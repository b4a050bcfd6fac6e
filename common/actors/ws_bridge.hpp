#pragma once
// Bridge from a websocket (Asio threads) to the actor that owns its logic: Asio owns the socket,
// the actor owns the logic. The connection's callbacks become messages; the actor sends with the
// thread-safe connection handle, which posts into the connection's strand (no blocking call and
// no scoped_actor on an Asio thread, no socket touched by an actor).

#include "common/net/connection.hpp"

#include <caf/actor.hpp>

#include <mutex>

namespace mpk {

/// A connection_handler that forwards open/message/close to its owner actor as
/// (ws_open, connection_ptr), (ws_text|ws_binary, std::string), (ws_closed, std::string), and
/// (ws_drained) when the send queue ran empty after connection::notify_when_drained().
class ws_bridge final : public net::connection_handler {
public:
  explicit ws_bridge(caf::actor owner);

  /// Hands the connection to another actor (e.g. the login gate to the session it spawned).
  /// Safe when the peer is waiting for the new owner's answer, so that no frame is in flight.
  /// After the socket closed, the new owner gets (ws_closed) at once instead.
  void retarget(caf::actor owner);

  void on_open(const net::connection_ptr& conn) override;
  void on_message(std::string data, bool binary) override;
  void on_close(std::string reason) override;
  void on_drained() override;

private:
  caf::actor owner() const;
  mutable std::mutex mutex_;
  caf::actor owner_;
  bool closed_ = false;
  std::string close_reason_;
};

std::shared_ptr<ws_bridge> make_ws_bridge(caf::actor owner);

} // namespace mpk
