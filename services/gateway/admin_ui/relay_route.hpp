#pragma once
// The admin-UI relay on the gateway's port (docs/app-protocol.md §"Admin UI relay"):
//   /<domain>/<instance>/admin/open/<ticket>   first use of an OpenAdminUi URL: cookie + redirect
//   /<domain>/<instance>/admin/<id>/<path>     the phone's /<path>, streamed through the passthrough
//   any other path with a Referer inside a relay: 307 back into that relay (absolute links)

#include "common/net/http_proxy.hpp"
#include "services/gateway/gateway_context.hpp"

#include <caf/actor_system.hpp>

#include <memory>
#include <mutex>

namespace mpk::net {
class io_runtime;
class scheduled;
} // namespace mpk::net

namespace mpk::gateway {

/// The server's proxy route: true when the request belongs to the relay (and is answered).
bool route_admin_ui(caf::actor_system& sys, const std::shared_ptr<gateway_context>& ctx,
                    const net::http_request_info& req, const net::proxy_relay_ptr& relay);

/// Ends idle and orphaned relay sessions every few seconds and logs them (the checks on each
/// request do not wait for it: this frees memory and tells the log).
class relay_sweeper {
public:
  static std::shared_ptr<relay_sweeper> start(net::io_runtime& io, std::weak_ptr<gateway_context> ctx);
  void stop();

private:
  static void run(const std::shared_ptr<relay_sweeper>& self);
  net::io_runtime* io_ = nullptr;
  std::weak_ptr<gateway_context> ctx_;
  std::mutex m_;
  bool stopped_ = false;
  std::shared_ptr<net::scheduled> next_;
};

/// The app session `client` unwatched `device` (or every phone, when empty): its relays end.
void end_admin_ui(gateway_context& ctx, std::uint64_t client, std::string_view device, std::string_view reason);

} // namespace mpk::gateway
