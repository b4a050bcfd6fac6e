// The admin-UI relay's HTTP side: opening a relay from a ticket, relaying a request to the phone
// through the Devices App's passthrough (the gateway holds the key, the browser never sees it),
// injected credentials, the audit entries.

#include "services/gateway/admin_ui/relay_route.hpp"

#include "common/actors/atoms.hpp"
#include "common/base/log.hpp"
#include "common/crypto/random.hpp"
#include "common/http/url.hpp"
#include "common/net/timer.hpp"
#include "services/gateway/admin_ui/relay_rules.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/sec.hpp>
#include <caf/send.hpp>

namespace mpk::gateway {

namespace {

constexpr auto lookup_timeout = std::chrono::seconds(8);
constexpr const char* who = "admin-ui";

net::http_reply page(int status, std::string text) {
  auto r = net::http_reply::text(status, text.empty() ? std::string{} : text + "\n");
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

bool has_field(const net::header_fields& fields, std::string_view name) {
  for (auto& [k, v] : fields)
    if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        }))
      return true;
  return false;
}

/// The browser reached us over TLS, or a TLS-terminating proxy in front says so.
bool secure(const net::http_request_info& req) { return req.tls || req.header("X-Forwarded-Proto") == "https"; }

void audit(gateway_context& ctx, const relay_sessions::session_view& v, const std::string& hw_id, std::string what,
           bool ok, std::string result) {
  if (auto phones = ctx.services.phones())
    caf::anon_send(phones, atom::audit_v,
                   audit_note{v.by.who, v.device, hw_id, "admin-ui", std::move(what), ok, std::move(result)});
}

/// The registry's current target of the relay's phone (scope, link, online), then `next`.
template <class Next>
void with_target(caf::actor_system& sys, const std::shared_ptr<gateway_context>& ctx,
                 const relay_sessions::session_view& v, const net::proxy_relay_ptr& relay, Next next) {
  auto reg = ctx->services.registry();
  if (!reg) return relay->reply(page(503, "the device registry is not reachable right now, try again"));
  sys.spawn([=](caf::event_based_actor* self) {
    self->request(reg, lookup_timeout, atom::target_v, v.device, v.by.tenants)
      .then(
        [=](const phone_target& t) {
          if (!t.link_up || t.base_url.empty())
            return relay->reply(page(503, "the Devices App of this phone is not reachable right now, try again"));
          if (!t.online) return relay->reply(page(503, "the phone is offline"));
          next(t);
        },
        [=](const caf::error& err) {
          if (err == caf::sec::request_timeout)
            return relay->reply(page(504, "the device registry did not answer in time"));
          relay->reply(page(404, "this phone is not in your scope any more"));
        });
  });
}

/// The request fields once more with an answer to the phone's challenge: Digest (the last one
/// the phone sent on this relay session) or Basic.
std::optional<net::header_fields> answer_challenge(gateway_context& ctx, const std::string& id,
                                                   const net::header_fields& answer, net::header_fields base,
                                                   const std::string& password, const std::string& method,
                                                   const std::string& uri, bool may_retry) {
  const auto& user = ctx.options.admin_ui.user;
  for (auto& [k, v] : answer) {
    if (!has_field({{k, v}}, "WWW-Authenticate")) continue;
    if (auto c = crypto::http_digest::parse_challenge(v)) {
      ctx.relays.remember_challenge(id, *c);
      auto use = ctx.relays.next_use_of_challenge(id);
      if (!may_retry || !use) return std::nullopt;
      base.emplace_back("Authorization", crypto::http_digest::authorization(use->first, user, password, method, uri,
                                                                            use->second, crypto::random_hex(8)));
      return base;
    }
    if (may_retry && v.size() >= 5 && std::equal(v.begin(), v.begin() + 5, "basic", [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == b;
        })) {
      base.emplace_back("Authorization", crypto::http_digest::basic_authorization(user, password));
      return base;
    }
  }
  return std::nullopt;
}

void forward(const std::shared_ptr<gateway_context>& ctx, const std::string& method, const net::header_fields& in,
             const relay_sessions::session_view& v, const std::string& phone, const phone_target& t,
             const net::proxy_relay_ptr& relay) {
  auto& o = ctx->options.admin_ui;
  auto base = admin_ui::request_fields(in);
  std::string password;
  if (o.inject_credentials && !has_field(in, "Authorization"))
    if (auto it = o.passwords.find(t.domain_name); it != o.passwords.end()) password = it->second;
  net::proxy_plan plan;
  plan.url = t.base_url + phone.substr(1);
  plan.headers = base;
  if (!password.empty())
    if (auto use = ctx->relays.next_use_of_challenge(v.id))
      plan.headers.emplace_back(
        "Authorization", crypto::http_digest::authorization(use->first, o.user, password, method, phone, use->second,
                                                            crypto::random_hex(8)));
  plan.max_request_body = o.max_upload;
  plan.timeout = o.timeout;
  plan.tls = o.tls;
  plan.tls.pin = t.tls_pin; // the operator's pin of this phone's Devices instance, as for the LCD
  plan.redact = admin_ui::secrets_of(t.base_url);
  admin_ui::relay_paths paths{v.prefix, phone, t.base_url, t.ip};
  plan.on_response = [ctx, id = v.id, base, password, method, phone, paths](
                       int status, net::header_fields& fields, bool may_retry) -> std::optional<net::header_fields> {
    if (status == 401 && !password.empty())
      if (auto again = answer_challenge(*ctx, id, fields, base, password, method, phone, may_retry)) return again;
    admin_ui::response_fields(fields, paths);
    return std::nullopt;
  };
  plan.on_done = [ctx, v, method, phone, hw = t.hw_id](const net::proxy_outcome& out) {
    MPK_TRACE(app, who, "relay ", v.id, " ", method, " ", phone, " -> ", out.status, ", ", out.request_bytes,
              " bytes up, ", out.response_bytes, " down", out.error.empty() ? "" : " (" + out.error + ")");
    if (!admin_ui::audited(method, phone)) return;
    bool ok = out.status > 0 && out.status < 400;
    audit(*ctx, v, hw, admin_ui::audit_what(method, phone), ok,
          out.status ? "HTTP " + std::to_string(out.status) : "failed: " + out.error);
  };
  relay->forward(std::move(plan));
}

void open_relay(caf::actor_system& sys, const std::shared_ptr<gateway_context>& ctx, const net::http_request_info& req,
                const std::string& app_path, std::string_view ticket, const net::proxy_relay_ptr& relay) {
  if (req.method != "GET" && req.method != "HEAD") return relay->reply(page(405, "open the admin UI link with GET"));
  std::string why;
  auto o = ctx->relays.redeem(ticket, app_path, relay_sessions::clock::now(), why);
  if (!o) {
    MPK_INFO(who, "admin UI link refused for ", req.remote, ": ", why);
    return relay->reply(page(403, why + ": open the admin UI again from myPhoneKeys"));
  }
  bool tls = secure(req);
  relay_sessions::session_view v = *o;
  with_target(sys, ctx, v, relay, [ctx, v, secret = o->secret, tls, relay](const phone_target& t) {
    auto r = page(303, "");
    r.headers.emplace_back("Location", v.prefix);
    r.headers.emplace_back("Set-Cookie", admin_ui::session_cookie(secret, v.prefix, tls));
    r.headers.emplace_back("Referrer-Policy", "no-referrer"); // the spent ticket stays here
    relay->reply(std::move(r));
    MPK_INFO(who, "relay ", v.id, ": ", v.by.who.sip, "@", v.by.who.tenant, " opened the admin UI of ", t.hw_id);
    audit(*ctx, v, t.hw_id, "open", true, "HTTP 303");
  });
}

void relay_request(caf::actor_system& sys, const std::shared_ptr<gateway_context>& ctx,
                   const net::http_request_info& req, const std::string& app_path, std::string_view id,
                   const net::proxy_relay_ptr& relay) {
  std::string why;
  auto v = ctx->relays.use(id, admin_ui::cookie_value(req.headers, admin_ui::cookie_name), app_path,
                           relay_sessions::clock::now(), why);
  if (!v) return relay->reply(page(403, why));
  auto phone = admin_ui::phone_target_of(req.target, v->prefix);
  if (!phone) {
    if (req.target == v->prefix.substr(0, v->prefix.size() - 1)) { // the phone's "/" needs its slash
      auto r = page(301, "");
      r.headers.emplace_back("Location", v->prefix);
      return relay->reply(std::move(r));
    }
    return relay->reply(page(400, "this path leaves the phone's web server"));
  }
  with_target(sys, ctx, *v, relay,
              [ctx, method = req.method, fields = req.headers, v = *v, phone = *phone, relay](const phone_target& t) {
                forward(ctx, method, fields, v, phone, t, relay);
              });
}

} // namespace

bool route_admin_ui(caf::actor_system& sys, const std::shared_ptr<gateway_context>& ctx,
                    const net::http_request_info& req, const net::proxy_relay_ptr& relay) {
  if (req.target.empty() || req.target.front() != '/') return false;
  auto segs = http::path_segments(req.target);
  if (segs.size() >= 4 && segs[2] == "admin") {
    auto app_path = "/" + std::string(segs[0]) + "/" + std::string(segs[1]);
    if (segs[3] == "open") {
      if (segs.size() != 5)
        relay->reply(page(404, "no such admin UI link"));
      else
        open_relay(sys, ctx, req, app_path, segs[4], relay);
    } else {
      relay_request(sys, ctx, req, app_path, segs[3], relay);
    }
    return true;
  }
  // A page of the phone named an absolute path ("/ADMIN/x"): back into its relay, with the same
  // method and body (307).
  if (auto into = admin_ui::referring_relay(req.header("Referer"), req.header("Host"))) {
    auto r = page(307, "");
    r.headers.emplace_back("Location", *into + req.target.substr(1));
    relay->reply(std::move(r));
    return true;
  }
  return false;
}

std::shared_ptr<relay_sweeper> relay_sweeper::start(net::io_runtime& io, std::weak_ptr<gateway_context> ctx) {
  auto s = std::make_shared<relay_sweeper>();
  s->io_ = &io;
  s->ctx_ = std::move(ctx);
  run(s);
  return s;
}

void relay_sweeper::run(const std::shared_ptr<relay_sweeper>& self) {
  std::lock_guard<std::mutex> g{self->m_};
  if (self->stopped_) return;
  if (auto ctx = self->ctx_.lock())
    for (auto& e : ctx->relays.sweep(relay_sessions::clock::now()))
      MPK_INFO(who, "relay ", e.id, " of ", e.by.who.sip, "@", e.by.who.tenant, " ended: ", e.reason);
  self->next_ = net::run_after(*self->io_, std::chrono::seconds(2), [self] { run(self); });
}

void relay_sweeper::stop() {
  std::lock_guard<std::mutex> g{m_};
  stopped_ = true;
  if (next_) next_->cancel();
  next_ = nullptr; // the pending call held this object: no cycle left
}

void end_admin_ui(gateway_context& ctx, std::uint64_t client, std::string_view device, std::string_view reason) {
  for (auto& e : ctx.relays.end_for(client, device, reason))
    MPK_INFO(who, "relay ", e.id, " of ", e.by.who.sip, "@", e.by.who.tenant, " ended: ", e.reason);
}

} // namespace mpk::gateway
