#pragma once
// Outgoing HTTP(S) requests with a deadline (the phone-session's passthrough link to phones).

#include "common/net/connection.hpp"

#include <functional>
#include <string>

namespace mpk::net {

class io_runtime;

struct http_fetch_request {
  std::string method = "GET";
  std::string url;   ///< http:// or https://
  header_fields headers;
  std::string body;
  std::chrono::milliseconds timeout{10000};  ///< for the whole exchange
  std::size_t max_body_bytes = 4 << 20;
  tls_client_options tls;
};

struct http_fetch_result {
  bool ok = false;        ///< a complete HTTP response arrived (any status)
  int status = 0;
  std::string content_type;
  header_fields headers;
  std::string body;
  std::string error;      ///< when !ok: "timeout", "connection refused", ...
};

/// Runs the request in the background; `done` is called once, on an Asio thread.
void fetch(io_runtime& rt, http_fetch_request req, std::function<void(http_fetch_result)> done);

} // namespace mpk::net
