#include "services/gateway/app_login.hpp"

#include "common/actors/atoms.hpp"
#include "common/base/log.hpp"
#include "common/crypto/login_digest.hpp"
#include "common/crypto/random.hpp"
#include "common/crypto/session_key.hpp"
#include "common/json/envelope.hpp"
#include "services/gateway/app_object_binding.hpp"
#include "services/gateway/client_session.hpp"
#include "services/gateway/pbx_link.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

namespace mpk::gateway {

namespace {

struct app_login_state {
  std::shared_ptr<gateway_context> ctx;
  std::shared_ptr<ws_bridge> bridge;
  net::connection_ptr conn;
  json::envelope_parser parser;
  std::string challenge;  ///< cleared after one AppLogin: a digest binds to one challenge, once
  std::string who = "login";
  static inline const char* name = "app_login";
};

using self_ptr = caf::stateful_actor<app_login_state>*;

void send(self_ptr self, std::string frame) {
  MPK_TRACE(appws, self->state.who, "out ", log::mask_secrets(frame));
  if (self->state.conn) self->state.conn->send_text(std::move(frame));
}

bool all_zero(std::string_view s) { return !s.empty() && s.find_first_not_of('0') == std::string_view::npos; }

/// The member `name` of the info object, if the frame has one.
std::optional<simdjson::dom::element> info_member(const json::envelope& env, const char* name) {
  simdjson::dom::element info, value;
  if (env.root()["info"].get(info) || info.type() != simdjson::dom::element_type::OBJECT) return std::nullopt;
  if (info[name].get(value)) return std::nullopt;
  return value;
}

bool info_flag(const json::envelope& env, const char* name) {
  auto v = info_member(env, name);
  bool b = false;
  return v && !v->get(b) && b;
}

std::string info_string(const json::envelope& env, const char* name) {
  auto v = info_member(env, name);
  std::string_view s;
  if (!v || v->get(s)) return {};
  return std::string(s);
}

void refuse(self_ptr self, const json::envelope& env, std::string_view error, std::string_view text) {
  auto& st = self->state;
  st.ctx->counters.logins_failed++;
  json::json_writer w;
  json::begin_reply(w, env, "AppLoginResult");
  w.member("ok", false).member("error", error).member("errorText", text).end_object();
  send(self, w.take());
  MPK_WARN(st.who, "login refused (", error, "): ", text);
  // The result goes out first: close() sends what is queued, then the close frame.
  st.conn->close(1000, std::string(error));
}

void on_app_login(self_ptr self, const json::envelope& env) {
  auto& st = self->state;
  auto& opts = st.ctx->options;
  auto field = [&](const char* k) { return std::string(env.string(k).value_or("")); };
  login_identity id;
  id.app = field("app");
  id.domain = field("domain");
  id.sip = field("sip");
  id.guid = field("guid");
  id.dn = field("dn");
  id.pbx_obj = field("pbxObj");
  auto digest = field("digest");
  std::optional<std::string> raw_info;
  if (auto r = env.raw("info")) raw_info = std::string(*r);
  std::string challenge = std::exchange(st.challenge, {});
  if (challenge.empty()) return refuse(self, env, "LOGIN_FAILURE", "AppLogin without a challenge: send AppChallenge first");

  bool has_info = raw_info && !raw_info->empty();
  if (!id.pbx_obj.empty()) id.who = login_identity::kind::user;
  else if (has_info) id.who = login_identity::kind::pbx;
  else if (!opts.operator_password.empty() && id.app == id.sip && all_zero(id.guid)) id.who = login_identity::kind::op;
  else id.who = login_identity::kind::pbx;

  // Candidate secrets: the App object password of the PBX domain, then the instance's (SDK order).
  std::vector<std::string> secrets;
  if (id.who == login_identity::kind::op) {
    if (id.sip == opts.operator_name || opts.operator_name.empty()) secrets.push_back(opts.operator_password);
  } else {
    if (auto it = opts.domain_passwords.find(id.domain); it != opts.domain_passwords.end()) secrets.push_back(it->second);
    if (!opts.password.empty()) secrets.push_back(opts.password);
  }
  crypto::login_fields fields{id.app, id.domain, id.sip, id.guid, id.dn, std::nullopt};
  std::string password;
  for (auto& s : secrets)
    if (crypto::verify_login_digest(fields, raw_info, challenge, s, digest)) {
      password = s;
      break;
    }
  if (password.empty()) return refuse(self, env, "LOGIN_FAILURE", "wrong digest (App object password or challenge mismatch)");

  id.info = has_info ? crypto::compact_json(*raw_info) : std::string();
  id.session_key = crypto::session_key(challenge, password);
  id.pbx = info_string(env, "pbx");
  id.test_mode = info_flag(env, "testmode");
  id.tenant = id.who == login_identity::kind::op ? std::string() : id.domain;
  if (id.who == login_identity::kind::user) {
    // A login is good at the App object it was issued for only (not at another tenant's).
    auto appobj = info_string(env, "appobj"), appurl = info_string(env, "appurl");
    app_object_claim claim{st.conn->target(), id.domain, id.pbx_obj, std::nullopt, std::nullopt};
    if (info_member(env, "appobj")) claim.appobj = appobj;
    if (info_member(env, "appurl")) claim.appurl = appurl;
    if (auto why = app_object_mismatch(claim, opts.domain_passwords); !why.empty())
      return refuse(self, env, "WRONG_APP_OBJECT", why);
  }
  if (id.who == login_identity::kind::user && info_flag(env, "unlicensed") && !id.test_mode && !opts.free_app)
    return refuse(self, env, "UNLICENSED", "no App(innovaphone-myphonekeys) licence is assigned to this user");

  std::string src = env.has_src() ? std::string(env.raw("src").value_or("")) : std::string();
  // The next actor points the bridge at itself before it sends AppLoginResult: the peer may
  // answer that at once, and its next frame must not reach this gate, which quits now.
  if (id.who == login_identity::kind::pbx)
    spawn_pbx_link(self->system(), st.ctx, st.conn, st.bridge, std::move(id), std::move(src));
  else
    spawn_client_session(self->system(), st.ctx, st.conn, st.bridge, std::move(id), std::move(src));
  st.conn = nullptr;
  self->quit();
}

void on_text(self_ptr self, const std::string& frame) {
  auto& st = self->state;
  MPK_TRACE(appws, st.who, "in ", log::mask_secrets(frame));
  json::envelope_errc err{};
  auto env = st.parser.parse(frame, err);
  if (!env) return send(self, json::error_reply(nullptr, "Error", "BAD_FRAME", json::describe(err)));
  auto mt = env->mt();
  json::json_writer w;
  if (mt == "AppChallenge") {
    st.challenge = crypto::make_challenge();
    json::begin_reply(w, *env, "AppChallengeResult");
    w.member("challenge", st.challenge).end_object();
    return send(self, w.take());
  }
  if (mt == "AppLogin") return on_app_login(self, *env);
  if (mt == "GetLoginOptions") {
    json::begin_reply(w, *env, "GetLoginOptionsResult");
    w.member("passwordLogin", !st.ctx->options.operator_password.empty()).member("app", "innovaphone-myphonekeys").end_object();
    return send(self, w.take());
  }
  if (mt == "CheckBuild") {
    json::begin_reply(w, *env, "CheckBuildResult");
    w.end_object();
    return send(self, w.take());
  }
  if (mt == "KeepAlive") {
    json::begin_reply(w, *env, "KeepAlive");
    w.end_object();
    return send(self, w.take());
  }
  send(self, json::error_reply(env, std::string(mt) + "Result", "NOT_LOGGED_IN", "log in first (AppChallenge, AppLogin)"));
}

caf::behavior app_login(self_ptr self, std::shared_ptr<gateway_context> ctx, std::shared_ptr<ws_bridge> bridge) {
  self->state.ctx = std::move(ctx);
  self->state.bridge = std::move(bridge);
  self->state.parser = json::envelope_parser(self->state.ctx->options.max_message_bytes);
  return {
    [=](atom::ws_open, const net::connection_ptr& conn) {
      self->state.conn = conn;
      self->state.ctx->connections.add(conn);
      self->state.who = "conn#" + std::to_string(conn->id());
      MPK_TRACE(app, self->state.who, "connected from ", conn->remote(), " to ", conn->target());
      self->delayed_send(self, self->state.ctx->options.login_timeout, atom::tick_v);
    },
    [=](atom::ws_text, const std::string& frame) { on_text(self, frame); },
    [=](atom::ws_binary, const std::string&) {
      send(self, json::error_reply(nullptr, "Error", "NOT_LOGGED_IN", "binary frames are not accepted before login"));
    },
    [=](atom::tick) {
      if (self->state.conn) {
        MPK_WARN(self->state.who, "no login within ", self->state.ctx->options.login_timeout.count(), " s: closing");
        self->state.conn->close(1008, "login timeout");
      }
      // Whatever the socket does now, this gate has no more work: never linger.
      self->quit();
    },
    [=](atom::ws_closed, const std::string&) { self->quit(); },
  };
}

} // namespace

void spawn_app_login(caf::actor_system& sys, std::shared_ptr<gateway_context> ctx, std::shared_ptr<ws_bridge> bridge) {
  auto a = sys.spawn(app_login, std::move(ctx), bridge);
  bridge->retarget(a);
}

} // namespace mpk::gateway
