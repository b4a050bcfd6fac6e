#include "services/gateway/gateway.hpp"

#include "common/actors/atoms.hpp"
#include "common/actors/await_quiet.hpp"
#include "common/base/config.hpp"
#include "common/base/log.hpp"
#include "common/http/url.hpp"
#include "common/net/server.hpp"
#include "services/gateway/admin_ui/relay_route.hpp"
#include "services/gateway/app_login.hpp"
#include "services/gateway/health.hpp"
#include "services/gateway/link_directory.hpp"
#include "services/gateway/static_files.hpp"
#include "services/gateway/tenant_secrets.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include <algorithm>

namespace mpk::gateway {

void add_options(config::settings& s) {
  s.add("gateway.host", "127.0.0.1", "address to listen on (0.0.0.0 for all interfaces)")
    .add("gateway.port", "8080", "HTTP/websocket port of the App Service")
    .add("gateway.domain", "example.com", "domain of this App Service instance (AppLoginResult)")
    .add("gateway.password", "", "App object password of the instance (the PBX App object's password)", true)
    .add("tenant.", "", "per PBX domain: tenant.<domain>.password = App object password of that PBX", true)
    .add("gateway.operator-name", "admin", "operator name for the standalone password login")
    .add("gateway.operator-password", "", "operator password; empty = standalone login off", true)
    .add("gateway.free-app", "false", "accept users without App(innovaphone-myphonekeys) licence")
    .add("gateway.require-tenant-passwords", "false",
         "refuse to start with the shared gateway.password: every PBX needs tenant.<domain>.password")
    .add("gateway.admin-bind", "127.0.0.1", "address of the admin listener (detailed /healthz, /metrics); empty = none")
    .add("gateway.admin-port", "0", "port of the admin listener (0 = any free port, printed at start)")
    .add("gateway.trace-admins", "", "user sip names allowed to switch trace flags, comma separated")
    .add("gateway.web-dir", "", "folder of the web app files")
    .add("gateway.models-dir", "", "folder of the per-model data (common/models/data)")
    .add("gateway.tls-cert", "", "PEM certificate chain for incoming TLS (TLS and plain on one port)")
    .add("gateway.tls-key", "", "PEM private key for incoming TLS")
    .add("gateway.max-message", "262144", "largest websocket message accepted from a peer, bytes")
    .add("gateway.max-queue", "4194304", "outgoing bytes queued for a slow browser before it is closed")
    .add("gateway.client-rate", "100", "requests per second a browser may send (bursts of 4x)")
    .add("gateway.fanout-linger-ms", "0",
         "a device change sooner than this after the last waits, merged with the next (0..1000)")
    .add("gateway.login-timeout", "30", "seconds a new connection has to log in before it is closed (1..3600)");
  add_admin_ui_options(s);
}

gateway_options options_from(const config::settings& s) {
  gateway_options o;
  o.host = s.get("gateway.host");
  o.port = static_cast<unsigned short>(s.get_int("gateway.port"));
  o.instance_domain = s.get("gateway.domain");
  o.password = s.get("gateway.password");
  for (auto& [key, value] : s.with_prefix("tenant.")) {
    // tenant.<domain>.password
    constexpr std::string_view suffix = ".password";
    if (key.size() > 7 + suffix.size() && key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0)
      o.domain_passwords[key.substr(7, key.size() - 7 - suffix.size())] = value;
  }
  o.operator_name = s.get("gateway.operator-name");
  o.operator_password = s.get("gateway.operator-password");
  o.free_app = s.get_bool("gateway.free-app");
  o.require_tenant_passwords = s.get_bool("gateway.require-tenant-passwords");
  o.admin_host = s.get("gateway.admin-bind");
  o.admin_port = static_cast<unsigned short>(s.get_int("gateway.admin-port"));
  o.trace_admins = s.get_list("gateway.trace-admins");
  o.web_dir = s.get("gateway.web-dir");
  o.models_dir = s.get("gateway.models-dir");
  o.tls_certificate = s.get("gateway.tls-cert");
  o.tls_key = s.get("gateway.tls-key");
  o.max_message_bytes = static_cast<std::size_t>(s.get_int("gateway.max-message"));
  o.max_queue_bytes = static_cast<std::size_t>(s.get_int("gateway.max-queue"));
  o.client_rate = s.get_double("gateway.client-rate");
  o.fanout_linger = std::chrono::milliseconds(std::clamp<std::int64_t>(s.get_int("gateway.fanout-linger-ms"), 0, 1000));
  o.login_timeout = std::chrono::seconds(s.get_int("gateway.login-timeout"));
  admin_ui_options_from(s, o.admin_ui);
  return o;
}

namespace {

std::vector<std::string> split_path(std::string_view target) {
  auto segments = http::path_segments(target);
  return {segments.begin(), segments.end()};
}

/// The admin listener: the detailed /healthz and /metrics, for operators and monitoring on a
/// trusted network (loopback by default), never on the public port.
std::shared_ptr<net::server> start_admin_listener(caf::actor_system& sys, net::io_runtime& io,
                                                  std::shared_ptr<gateway_context> ctx, std::string& error) {
  net::server_routes routes;
  routes.upgrade = [](const net::http_request_info&) -> net::handler_ptr { return nullptr; };
  routes.http = [&sys, ctx](const net::http_request_info& req, net::http_responder respond) {
    if (req.method != "GET") return respond(net::http_reply::text(405, "method not allowed\n"));
    auto parts = split_path(req.target);
    if (parts.size() == 1 && parts[0] == "healthz") return serve_health(sys, ctx, std::move(respond));
    if (parts.size() == 1 && parts[0] == "metrics") return serve_metrics(sys, ctx, std::move(respond));
    respond(net::http_reply::text(404, "not found\n"));
  };
  net::server_options so;
  so.host = ctx->options.admin_host;
  so.port = ctx->options.admin_port;
  return net::server::start(io, so, std::move(routes), error);
}

} // namespace

std::unique_ptr<gateway> gateway::start(caf::actor_system& sys, net::io_runtime& io, gateway_options opts,
                                        const models::catalog* catalog, const models::keyboard_layouts* layouts,
                                        std::string& error) {
  if (opts.login_timeout < std::chrono::seconds(1) || opts.login_timeout > std::chrono::seconds(3600)) {
    error = "gateway.login-timeout must be 1..3600 seconds";
    return nullptr;
  }
  std::vector<std::string> warnings;
  if (error = check_tenant_secrets(opts, warnings); !error.empty()) return nullptr;
  for (const auto& w : warnings) MPK_WARN("gateway", w);
  if (!check_admin_ui_options(opts.admin_ui, error)) return nullptr;
  std::unique_ptr<gateway> g{new gateway};
  g->sys_ = &sys;
  g->ctx_ = std::make_shared<gateway_context>();
  auto ctx = g->ctx_;
  ctx->options = std::move(opts);
  ctx->catalog = catalog;
  ctx->layouts = layouts;
  ctx->relays.set_lifetimes({std::chrono::seconds(60), ctx->options.admin_ui.idle, ctx->options.admin_ui.grace});
  ctx->services.set_directory(spawn_link_directory(sys));
  auto files = std::make_shared<static_files>();
  files->load(ctx->options.web_dir, "");
  files->load(ctx->options.models_dir, "models/");
  if (files->find("innovaphone-myphonekeys.htm") == nullptr)
    MPK_WARN("gateway", "web app not found in '", ctx->options.web_dir, "' (gateway.web-dir)");

  net::server_routes routes;
  routes.upgrade = [&sys, ctx](const net::http_request_info& req) -> net::handler_ptr {
    auto parts = split_path(req.target);
    // The instance URL /<domain>/<instance> (PBX and Connection.js) or the App URL itself.
    bool instance = parts.size() == 2 || (parts.size() == 3 && parts[2] == "innovaphone-myphonekeys");
    if (!instance) return nullptr;
    auto bridge = make_ws_bridge(caf::actor{});
    spawn_app_login(sys, ctx, bridge);
    return bridge;
  };
  routes.http = [&sys, ctx, files](const net::http_request_info& req, net::http_responder respond) {
    auto parts = split_path(req.target);
    // Anyone may ask: the verdict only. The detail and /metrics are on the admin listener.
    if (parts.size() == 1 && parts[0] == "healthz") return serve_public_health(sys, ctx, std::move(respond));
    if (req.method != "GET" && req.method != "HEAD") return respond(net::http_reply::text(405, "method not allowed\n"));
    if (parts.size() >= 3) {
      std::string rel;
      for (std::size_t i = 2; i < parts.size(); ++i) {
        if (parts[i] == "..") return respond(net::http_reply::text(400, "bad path\n"));
        rel += (i > 2 ? "/" : "") + parts[i];
      }
      if (auto f = files->find(rel)) {
        net::http_reply r;
        r.content_type = f->content_type;
        r.body = f->body;
        r.headers.emplace_back("Cache-Control", "no-cache");
        r.headers.emplace_back("X-Content-Type-Options", "nosniff");
        return respond(std::move(r));
      }
    }
    if (parts.size() == 2) { // the instance URL itself: send the browser to the app page
      net::http_reply r = net::http_reply::text(302, "");
      r.headers.emplace_back("Location", "/" + parts[0] + "/" + parts[1] + "/innovaphone-myphonekeys.htm");
      return respond(std::move(r));
    }
    respond(net::http_reply::text(404, "not found\n"));
  };

  routes.proxy = [&sys, ctx](const net::http_request_info& req, const net::proxy_relay_ptr& relay) {
    return route_admin_ui(sys, ctx, req, relay);
  };

  net::server_options so;
  so.host = ctx->options.host;
  so.port = ctx->options.port;
  so.tls_certificate_file = ctx->options.tls_certificate;
  so.tls_key_file = ctx->options.tls_key;
  so.limits.max_message_bytes = ctx->options.max_message_bytes;
  so.limits.max_queue_bytes = ctx->options.max_queue_bytes;
  g->server_ = net::server::start(io, so, std::move(routes), error);
  if (!g->server_) return nullptr;
  g->sweeper_ = relay_sweeper::start(io, ctx);
  MPK_INFO("gateway", "listening on ", ctx->options.host, ":", g->server_->port(), ", ", files->size(), " web files");
  if (!ctx->options.admin_host.empty()) {
    g->admin_ = start_admin_listener(sys, io, ctx, error);
    if (!g->admin_) return nullptr;
    MPK_INFO("gateway", "admin listener (detailed health, metrics) on ", ctx->options.admin_host, ":",
             g->admin_->port());
  }
  return g;
}

gateway::~gateway() { stop(); }

void gateway::reload_tls() {
  if (!server_ || ctx_->options.tls_certificate.empty()) return;
  std::string err;
  if (server_->reload_tls(err))
    MPK_INFO("gateway", "TLS certificate reloaded from ", ctx_->options.tls_certificate, " (new connections)");
  else
    MPK_ERROR("gateway", "TLS certificate not reloaded, the old one stays in force: ", err);
}

unsigned short gateway::port() const { return server_ ? server_->port() : 0; }

unsigned short gateway::admin_port() const { return admin_ ? admin_->port() : 0; }

void gateway::stop() {
  if (sweeper_) sweeper_->stop();
  if (server_) server_->stop();
  server_ = nullptr;
  if (admin_) admin_->stop();
  admin_ = nullptr;
  if (!ctx_) return;
  ctx_->connections.close_all("service shutting down");
  if (auto dir = ctx_->services.directory()) caf::anon_send_exit(dir, caf::exit_reason::user_shutdown);
  ctx_->services.set_directory(link_directory_actor{});
}

bool gateway::drain(std::chrono::milliseconds limit) {
  if (!sys_) return true;
  return await_quiet(*sys_, limit, [ctx = ctx_] { return !ctx || ctx->connections.live() == 0; });
}

} // namespace mpk::gateway
