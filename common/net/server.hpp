#pragma once
// One listening port serving plain HTTP (files, health, proxies) and websocket upgrades,
// optionally with TLS (the operator's certificate) detected per connection.

#include "common/net/connection.hpp"
#include "common/net/http_proxy.hpp"

#include <functional>
#include <memory>
#include <string>

namespace mpk::net {

class io_runtime;

/// Answers one HTTP request; may be called later and from any thread.
using http_responder = std::function<void(http_reply)>;

struct server_routes {
  /// Plain HTTP requests. Must call `respond` exactly once.
  std::function<void(const http_request_info&, http_responder respond)> http;
  /// Websocket upgrades: a handler for the connection, or nullptr to refuse with 404.
  std::function<handler_ptr(const http_request_info&)> upgrade;
  /// Requests relayed with their bodies streamed (http_proxy.hpp), decided on the header alone:
  /// true takes the request, which must then be answered through `relay`; false leaves it to
  /// `http` (its body is read whole, up to max_request_body).
  std::function<bool(const http_request_info& head, const proxy_relay_ptr& relay)> proxy;
};

struct server_options {
  std::string host = "127.0.0.1";
  unsigned short port = 0;          ///< 0 = any free port (see server::port())
  std::string tls_certificate_file; ///< PEM chain; TLS and plain are both accepted on the port when set
  std::string tls_key_file;
  std::size_t max_request_body = 64 * 1024;
  ws_limits limits;
};

class server {
public:
  virtual ~server() = default;
  virtual unsigned short port() const = 0;
  /// Stops accepting; open connections are closed by their owners.
  virtual void stop() = 0;
  /// Reads the certificate and key files again (SIGHUP): connections accepted from now on get the
  /// new ones, open connections go on with theirs. False with `error` (the old pair stays in force)
  /// when the files are bad or the port has no TLS.
  virtual bool reload_tls(std::string& error) = 0;

  /// Binds and starts accepting; nullptr with `error` set when the port cannot be bound or TLS files are bad.
  static std::shared_ptr<server> start(io_runtime& rt, server_options opts, server_routes routes, std::string& error);
};

} // namespace mpk::net
