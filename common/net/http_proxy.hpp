#pragma once
// A reverse-proxy exchange: one request the server hands on to another HTTP server with its body
// streamed in both directions (never held whole), hop-by-hop fields dropped, the framing chosen
// per leg. What to forward and how to edit the answer is decided by the route (no Beast types).

#include "common/net/connection.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mpk::net {

/// What became of one relayed exchange (for the log and the audit).
struct proxy_outcome {
  int status = 0;                   ///< status sent to the client (0: none, the connection broke)
  std::uint64_t request_bytes = 0;  ///< body bytes sent upstream
  std::uint64_t response_bytes = 0; ///< body bytes sent to the client
  bool complete = false;            ///< both bodies went through to their end
  std::string error;                ///< what broke, plain words ("" when complete)
};

/// How to relay one request.
struct proxy_plan {
  std::string url; ///< upstream http:// or https:// URL with path and query
  /// Request fields to send (end-to-end ones; Host and the framing are the relay's own, and any
  /// hop-by-hop field given here is dropped).
  header_fields headers;
  std::uint64_t max_request_body = 0;       ///< larger uploads get 413 (checked as the bytes arrive)
  std::chrono::milliseconds timeout{30000}; ///< per network step (connect, each read, each write)
  tls_client_options tls;
  /// Byte strings that never reach the client in a response body: each occurrence is replaced by
  /// as many '*' (the length stays, so Content-Length stays right).
  std::vector<std::string> redact;
  /// The upstream answer's status and end-to-end fields (hop-by-hop ones are gone already), to
  /// be edited in place. `may_retry` is true once, for a request without a body: returning
  /// request fields then sends the request again with those instead of passing this answer on.
  std::function<std::optional<header_fields>(int status, header_fields& fields, bool may_retry)> on_response;
  /// Called once at the end, whatever happened.
  std::function<void(const proxy_outcome&)> on_done;
};

/// The server's handle on one request taken by a proxy route. Exactly one of forward() or
/// reply() must be called, from any thread, at any time; until then the body stays unread.
class proxy_relay {
public:
  virtual ~proxy_relay() = default;
  /// Relays the request as `plan` says.
  virtual void forward(proxy_plan plan) = 0;
  /// Answers here instead (an unread request body then closes the connection after the answer).
  virtual void reply(http_reply reply) = 0;
};
using proxy_relay_ptr = std::shared_ptr<proxy_relay>;

/// True for the fields that concern one connection only (RFC 9110 §7.6.1, plus Proxy-*,
/// Keep-Alive, TE, Trailer, Transfer-Encoding, Upgrade and Content-Length, which each leg frames
/// on its own) and for those a `Connection` field of the same message names.
bool is_hop_by_hop(std::string_view name, std::string_view connection_field = {});

} // namespace mpk::net
