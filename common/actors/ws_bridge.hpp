#pragma once
// Bridge from a websocket (Asio threads) to the actor that owns its logic (engineering notes §2.9 a):
// the connection's callbacks become messages; the actor sends with the thread-safe connection handle.

#include "common/net/connection.hpp"

#include <caf/actor.hpp>

namespace mpk {

/// A connection_handler that forwards open/message/close to `owner` as
/// (ws_open, connection_ptr), (ws_text|ws_binary, std::string), (ws_closed, std::string).
net::handler_ptr make_ws_bridge(caf::actor owner);

} // namespace mpk
