#include "services/gateway/client_session.hpp"

#include "services/gateway/client_state.hpp"
#include "services/gateway/tenant_secrets.hpp"

#include <caf/sec.hpp>

#include <fstream>
#include <sstream>

namespace mpk::gateway {

// -- helpers shared by the handlers ----------------------------------------------------

reply_to reply_to::of(const json::envelope& env, std::string_view result_mt) {
  reply_to r;
  r.mt = std::string(result_mt);
  if (env.has_src()) r.src = std::string(env.raw("src").value_or(""));
  r.api = std::string(env.api());
  return r;
}

void reply_to::begin(json::json_writer& w) const {
  w.begin_object().member("mt", mt);
  if (!api.empty()) w.member("api", api);
  if (!src.empty()) w.key("src").raw(src);
}

void send_frame(client_ptr self, std::string frame) {
  MPK_TRACE(appws, self->state.who, "out ", log::mask_secrets(frame));
  if (self->state.conn) self->state.conn->send_text(std::move(frame));
}

void send_error(client_ptr self, const reply_to& to, std::string_view error, std::string_view text) {
  json::json_writer w;
  to.begin(w);
  w.member("error", error).member("errorText", text).end_object();
  send_frame(self, w.take());
}

void send_app_error(client_ptr self, const reply_to& to, const app_error& e) {
  json::json_writer w;
  to.begin(w);
  w.member("error", e.code).member("errorText", e.text);
  if (e.retry_after_ms) w.member("retryAfterMs", e.retry_after_ms);
  w.end_object();
  send_frame(self, w.take());
}

void send_caf_error(client_ptr self, const reply_to& to, const caf::error& err, service_kind service) {
  auto e = app_error_of(err, service);
  if (e.code == "SERVICE_UNAVAILABLE" || e.code == "FAILED")
    MPK_WARN(self->state.who, to.mt, ": ", self->system().render(err), " -> ", e.code);
  send_app_error(self, to, e);
}

void send_unavailable(client_ptr self, const reply_to& to, service_kind service) {
  send_app_error(self, to, service_unavailable(service));
}

bool is_operator(client_ptr self) { return self->state.id.who == login_identity::kind::op; }

const char* login_kind_name(login_identity::kind k) {
  switch (k) {
    case login_identity::kind::op: return "operator";
    case login_identity::kind::tenant_admin: return "appPassword";
    case login_identity::kind::user: return "myApps";
    case login_identity::kind::pbx: return "pbx";
  }
  return "myApps";
}

bool may_trace(client_ptr self) {
  if (is_operator(self)) return true;
  auto& admins = self->state.ctx->options.trace_admins;
  return std::find(admins.begin(), admins.end(), self->state.id.sip) != admins.end();
}

namespace {

void get_session(client_ptr self, const json::envelope& env) {
  auto& st = self->state;
  json::json_writer w;
  reply_to::of(env, "GetSessionResult").begin(w);
  w.key("user")
    .begin_object()
    .member("sip", st.id.sip)
    .member("dn", st.id.dn)
    .member("domain", st.id.domain)
    .member("pbx", st.id.pbx)
    .end_object();
  // What this login may see: every tenant (operators) or one; and how it logged in.
  w.key("scope").begin_object();
  if (is_operator(self))
    w.member("allTenants", true);
  else
    w.member("tenant", st.id.tenant);
  w.member("login", login_kind_name(st.id.who)).end_object();
  w.member("operator", is_operator(self)).member("canTrace", may_trace(self));
  w.key("layouts").begin_array();
  if (st.ctx->layouts)
    for (auto& l : st.ctx->layouts->names()) w.value(l);
  w.end_array().end_object();
  send_frame(self, w.take());
}

void get_model(client_ptr self, const json::envelope& env) {
  auto to = reply_to::of(env, "GetModelResult");
  auto product = env.string("product").value_or("");
  auto* catalog = self->state.ctx->catalog;
  auto s = catalog ? catalog->find(product, "", "") : models::support{};
  if (!s.m) return send_error(self, to, "UNSUPPORTED", s.reason.empty() ? "no model data" : s.reason);
  std::ifstream in(catalog->dir() + "/" + s.m->family + ".json");
  std::stringstream body;
  body << in.rdbuf();
  json::json_writer w;
  to.begin(w);
  w.member("product", s.m->product).member("family", s.m->family).key("model").raw(body.str()).end_object();
  send_frame(self, w.take());
}

void write_trace(json::json_writer& w) {
  w.key("trace").begin_object();
  for (auto& [name, on] : log::trace_flags()) w.member(name, on);
  w.end_object();
}

/// GetStatus / LogServiceConnections: PBX links, devices-api links, phone sessions.
void get_status(client_ptr self, const json::envelope& env, bool log_it) {
  auto to = reply_to::of(env, log_it ? "LogServiceConnectionsResult" : "GetStatusResult");
  auto& svc = self->state.ctx->services;
  auto targets = svc.status_sources();
  // A tenant's user sees that tenant's links and phones only; operators see everything.
  const tenant_scope scope{is_operator(self), self->state.tenants};
  if (log_it) {
    MPK_INFO(self->state.who, "Log Service Connections requested by ", self->state.id.sip);
    for (auto& a : targets)
      if (a) self->send(a, atom::log_status_v, scope);
  }
  // Each part is asked on its own; a missing or silent service shows as null, not as a failure.
  auto parts = std::make_shared<std::array<std::string, 3>>();
  auto pending = std::make_shared<int>(3);
  auto finish = [=] {
    if (--*pending > 0) return;
    json::json_writer w;
    to.begin(w);
    w.key("pbx").raw((*parts)[0].empty() ? "null" : (*parts)[0]);
    w.key("devicesApi").raw((*parts)[1].empty() ? "null" : (*parts)[1]);
    w.key("sessions").raw((*parts)[2].empty() ? "null" : (*parts)[2]);
    // What an operator must not miss (a tenant's user sees only its own tenant: no warnings).
    w.key("warnings").begin_array();
    if (scope.all)
      for (auto& warning : shared_password_warnings((*parts)[0])) w.value(warning);
    w.end_array();
    write_trace(w);
    w.end_object();
    send_frame(self, w.take());
  };
  for (std::size_t i = 0; i < 3; ++i) {
    if (!targets[i]) {
      finish();
      continue;
    }
    self->request(targets[i], service_timeout, atom::status_v, scope)
      .then(
        [=](const std::string& json) {
          (*parts)[i] = json;
          finish();
        },
        [=](const caf::error&) { finish(); });
  }
}

void set_trace(client_ptr self, const json::envelope& env) {
  auto to = reply_to::of(env, "SetTraceResult");
  if (!may_trace(self)) return send_error(self, to, "FORBIDDEN", "you may not switch trace flags");
  simdjson::dom::object flags;
  if (env.root()["flags"].get(flags)) return send_error(self, to, "BAD_REQUEST", "SetTrace needs flags {name: bool}");
  for (auto [key, value] : flags) {
    bool on = false;
    auto c = log::category_from(key);
    if (!c || value.get(on))
      return send_error(self, to, "BAD_REQUEST", "unknown trace flag '" + std::string(key) + "'");
    log::set_trace(*c, on);
    MPK_INFO(self->state.who, "trace ", key, " switched ", on ? "on" : "off", " by ", self->state.id.sip);
  }
  json::json_writer w;
  to.begin(w);
  write_trace(w);
  w.end_object();
  send_frame(self, w.take());
}

/// A client may send `client_rate` requests per second on average, bursts of 4×; a flood closes it.
bool within_rate(client_ptr self) {
  auto& st = self->state;
  auto now = std::chrono::steady_clock::now();
  double rate = st.ctx->options.client_rate;
  st.tokens = std::min(rate * 4, st.tokens + rate * std::chrono::duration<double>(now - st.refilled).count());
  st.refilled = now;
  if (st.tokens < 1) return false;
  st.tokens -= 1;
  return true;
}

void on_text(client_ptr self, const std::string& frame) {
  auto& st = self->state;
  MPK_TRACE(appws, st.who, "in ", log::mask_secrets(frame));
  st.ctx->counters.requests++;
  if (!within_rate(self)) {
    MPK_WARN(st.who, "request flood: closing the connection");
    st.conn->close(1008, "too many requests");
    return;
  }
  json::envelope_errc err{};
  auto env = st.parser.parse(frame, err);
  if (!env) return send_frame(self, json::error_reply(nullptr, "Error", "BAD_FRAME", json::describe(err)));
  auto mt = env->mt();
  if (mt == "QueryDevices") return query_devices(self, *env);
  if (mt == "FrameAck") return frame_ack(self, *env);
  if (mt == "Key" || mt == "Touch" || mt == "TypeText" || mt == "TypeKeys" || mt == "Action" || mt == "Command" ||
      mt == "SetKeyLabels")
    return phone_operation(self, *env);
  if (mt == "GetDomains") return get_domains(self, *env);
  if (mt == "Watch") return watch(self, *env);
  if (mt == "Unwatch") return unwatch(self, *env);
  if (mt == "Unsubscribe") return unsubscribe(self, *env);
  if (mt == "GetSession") return get_session(self, *env);
  if (mt == "GetModel") return get_model(self, *env);
  if (mt == "OpenAdminUi") return open_admin_ui(self, *env);
  if (mt == "GetAudit") return get_audit(self, *env);
  if (mt == "WireCheck") return wire_check(self, *env);
  if (mt == "ReloadWire") return reload_wire(self, *env);
  if (mt == "PinCertificate") return pin_certificate(self, *env);
  if (mt == "GetStatus") return get_status(self, *env, false);
  if (mt == "LogServiceConnections") return get_status(self, *env, true);
  if (mt == "SetTrace") return set_trace(self, *env);
  if (mt == "KeepAlive") {
    json::json_writer w;
    json::begin_reply(w, *env, "KeepAlive");
    w.end_object();
    return send_frame(self, w.take());
  }
  if (mt == "AppChallenge" || mt == "AppLogin" || mt == "GetLoginOptions")
    return send_frame(
      self, json::error_reply(env, std::string(mt) + "Result", "ALREADY_LOGGED_IN", "this connection is logged in"));
  send_frame(self, json::error_reply(env, std::string(mt) + "Result", "UNKNOWN_MESSAGE",
                                     "unknown message '" + std::string(mt) + "'"));
}

caf::behavior client_session(client_ptr self, std::shared_ptr<gateway_context> ctx, net::connection_ptr conn,
                             std::shared_ptr<ws_bridge> bridge, login_identity id, std::string src) {
  auto& st = self->state;
  st.ctx = std::move(ctx);
  st.conn = std::move(conn);
  st.id = std::move(id);
  // The scope is the login's: every tenant for the operator, else exactly one. An empty tenant list
  // means "every tenant" to the registry, so a non-operator without a tenant must never get here.
  if (st.id.who != login_identity::kind::op) {
    if (st.id.tenant.empty()) {
      MPK_ERROR("client", "a login without a tenant reached a session (", st.id.sip, "): closed");
      st.conn->close(1011, "login without scope");
      return {};
    }
    st.tenants.push_back(st.id.tenant);
  }
  st.parser = json::envelope_parser(st.ctx->options.max_message_bytes);
  st.tokens = st.ctx->options.client_rate * 4;
  st.refilled = std::chrono::steady_clock::now();
  st.who = "client[" + (st.id.tenant.empty() ? std::string("operator") : st.id.tenant) + "/" + st.id.sip + "]#" +
           std::to_string(st.conn->id());
  st.ctx->counters.clients++;
  st.ctx->counters.clients_total++;
  MPK_INFO(st.who, "logged in from ", st.conn->remote(), " (", st.id.dn, ")");
  bridge->retarget(caf::actor_cast<caf::actor>(self)); // before AppLoginResult: the peer's answer comes here
  json::json_writer w;
  w.begin_object().member("mt", "AppLoginResult");
  if (!src.empty()) w.key("src").raw(src);
  w.member("ok", true).member("domain", st.ctx->options.instance_domain).end_object();
  send_frame(self, w.take());
  return {
    [=](atom::ws_text, const std::string& frame) { on_text(self, frame); },
    [=](atom::ws_binary, const std::string&) {
      send_frame(self, json::error_reply(nullptr, "Error", "BAD_FRAME", "binary frames are not accepted from clients"));
    },
    // The hub asked for this (it merges deltas while our queue is full): pass it on.
    [=](atom::ws_drained) {
      if (self->state.hub) self->send(self->state.hub, atom::ws_drained_v);
    },
    [=](const phone_event& ev) {
      auto& st = self->state;
      if (ev.device != st.watch_device) return;
      // ev.json holds the members after mt/device, already encoded by the phone session.
      json::json_writer w;
      w.begin_object().member("mt", ev.mt);
      if (!st.watch_src.empty()) w.key("src").raw(st.watch_src);
      w.member("device", ev.device);
      std::string frame = w.take();
      if (!ev.json.empty()) frame += "," + ev.json;
      frame += "}";
      send_frame(self, std::move(frame));
    },
    [=](const lcd_frame& f) {
      auto& st = self->state;
      if (f.device != st.watch_device || !st.conn) return;
      st.ctx->counters.frames_sent++;
      st.conn->send_binary(f.bytes);
    },
    // From the cluster glue: a peer process came back or a phone moved to another node.
    [=](atom::retry, const std::string& what) {
      if (what == "registry")
        resubscribe(self);
      else if (what == "registry-lost")
        list_unavailable(self);
      else if (what == "phones")
        rewatch(self);
    },
    [=](atom::drain) {
      auto& st = self->state;
      send_frame(self, "{\"mt\":\"ServiceShutdown\",\"errorText\":\"the service is restarting\"}");
      if (st.conn) st.conn->close(1001, "service shutting down");
    },
    [=](atom::ws_closed, const std::string& reason) {
      auto& st = self->state;
      MPK_INFO(st.who, "disconnected: ", reason);
      app_session_closed(self);
      leave_hub(self);
      st.ctx->counters.clients--;
      st.conn = nullptr;
      self->quit();
    },
  };
}

} // namespace

caf::actor spawn_client_session(caf::actor_system& sys, std::shared_ptr<gateway_context> ctx, net::connection_ptr conn,
                                std::shared_ptr<ws_bridge> bridge, login_identity id, std::string src) {
  return sys.spawn(client_session, std::move(ctx), std::move(conn), std::move(bridge), std::move(id), std::move(src));
}

} // namespace mpk::gateway
