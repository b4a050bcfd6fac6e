#pragma once
// Outgoing HTTP(S) requests with a deadline (the phone-session's passthrough link to phones).

#include "common/net/connection.hpp"

#include <cstddef>
#include <functional>
#include <string>

namespace mpk::net {

class io_runtime;

struct http_fetch_request {
  std::string method = "GET";
  std::string url; ///< http:// or https://
  header_fields headers;
  std::string body;
  std::chrono::milliseconds timeout{10000}; ///< for the whole exchange
  std::size_t max_body_bytes = 4 << 20;
  tls_client_options tls;
};

struct http_fetch_result {
  bool ok = false; ///< a complete HTTP response arrived (any status)
  int status = 0;
  std::string content_type;
  header_fields headers;
  std::string body;
  std::string error; ///< when !ok: "timeout", "connection refused", ...
};

/// Runs the request in the background; `done` is called once, on an Asio thread. A response
/// that allows keep-alive leaves its connection parked for the next GET/HEAD to the same origin
/// (at most 4 s); a GET/HEAD whose parked connection turns out closed before any byte of the
/// answer is sent once more on a fresh connection.
void fetch(io_runtime& rt, http_fetch_request req, std::function<void(http_fetch_result)> done);

/// Connections parked for reuse right now (status and tests).
std::size_t idle_http_connections(io_runtime& rt);

} // namespace mpk::net
