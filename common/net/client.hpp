#pragma once
// Outgoing websocket connections (ws and wss with SNI and certificate verification).

#include "common/net/connection.hpp"

#include <string>

namespace mpk::net {

class io_runtime;

struct client_options {
  std::string url; ///< ws://host:port/path or wss://...
  tls_client_options tls;
  ws_limits limits;
  std::chrono::seconds connect_timeout{10};
  header_fields headers; ///< extra upgrade request headers
};

/// Connects in the background. On success `handler->on_open` is called with the connection;
/// on failure only `handler->on_close(reason)` is (e.g. "connection refused", "certificate verify failed").
void connect(io_runtime& rt, client_options opts, handler_ptr handler);

} // namespace mpk::net
