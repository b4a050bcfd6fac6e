#pragma once
// The gateway service: one HTTP + websocket port for PBX links, browsers, the web app's files,
// the admin-UI shortcut and the public /healthz verdict; an admin listener (loopback by default)
// with the detailed /healthz and /metrics.

#include "services/gateway/gateway_context.hpp"

#include <caf/actor_system.hpp>

#include <chrono>
#include <memory>
#include <string>

namespace mpk::config {
class settings;
}
namespace mpk::net {
class io_runtime;
class server;
} // namespace mpk::net

namespace mpk::gateway {

class relay_sweeper;

/// Declares the gateway's options (gateway.*, tenant.<domain>.password).
void add_options(config::settings& s);
gateway_options options_from(const config::settings& s);

class gateway {
public:
  /// Binds the port and starts serving; nullptr with `error` set on failure.
  static std::unique_ptr<gateway> start(caf::actor_system& sys, net::io_runtime& io, gateway_options opts,
                                        const models::catalog* catalog, const models::keyboard_layouts* layouts,
                                        std::string& error);
  ~gateway();

  unsigned short port() const;
  /// The admin listener's port (0 when there is none).
  unsigned short admin_port() const;
  gateway_context& context() { return *ctx_; }
  std::shared_ptr<gateway_context> shared_context() { return ctx_; }
  /// Stops accepting connections and closes every open one.
  void stop();
  /// SIGHUP: reads gateway.tls-cert/-key again for new connections (open browsers stay); logged.
  void reload_tls();
  /// After stop() and the exits of the other services' actors: waits until every connection is
  /// gone and every actor of the system has finished, at most `limit` (false if something still
  /// ran then). Stopping the network earlier would leave a websocket and the actor that owns it
  /// holding each other at exit; a fixed pause was sometimes too short.
  bool drain(std::chrono::milliseconds limit);

private:
  gateway() = default;
  caf::actor_system* sys_ = nullptr;
  std::shared_ptr<gateway_context> ctx_;
  std::shared_ptr<net::server> server_;
  std::shared_ptr<net::server> admin_; ///< detailed /healthz and /metrics (gateway.admin-bind)
  std::shared_ptr<relay_sweeper> sweeper_;
};

} // namespace mpk::gateway
