#include "services/gateway/app_login.hpp"

#include "common/actors/atoms.hpp"
#include "common/base/log.hpp"
#include "common/crypto/login_digest.hpp"
#include "common/crypto/random.hpp"
#include "common/crypto/session_key.hpp"
#include "common/json/envelope.hpp"
#include "services/gateway/app_object_binding.hpp"
#include "services/gateway/client_session.hpp"
#include "services/gateway/login_form.hpp"
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
  std::string challenge; ///< cleared after one AppLogin: a digest binds to one challenge, once
  std::string who = "login";
  int failed_checks = 0; ///< wrong AppCheckLogin answers on this connection
  static inline const char* name = "app_login";
};

using self_ptr = caf::stateful_actor<app_login_state>*;

constexpr int max_failed_checks = 3;

void send(self_ptr self, std::string frame) {
  MPK_TRACE(appws, self->state.who, "out ", log::mask_secrets(frame));
  if (self->state.conn) self->state.conn->send_text(std::move(frame));
}

/// Where an answer to the login goes: the request's raw src, kept past the frame's lifetime.
struct login_reply {
  std::string src;
  static login_reply of(const json::envelope& env) {
    return {env.has_src() ? std::string(env.raw("src").value_or("")) : std::string()};
  }
};

void refuse(self_ptr self, const login_reply& to, std::string_view error, std::string_view text) {
  auto& st = self->state;
  st.ctx->counters.logins_failed++;
  json::json_writer w;
  w.begin_object().member("mt", "AppLoginResult");
  if (!to.src.empty()) w.key("src").raw(to.src);
  w.member("ok", false).member("error", error).member("errorText", text).end_object();
  send(self, w.take());
  MPK_WARN(st.who, "login refused (", error, "): ", text);
  // The result goes out first: close() sends what is queued, then the close frame.
  if (st.conn) st.conn->close(1000, std::string(error));
  st.conn = nullptr;
}

/// Hands the connection to the actor its login earned and ends the gate.
void admit(self_ptr self, login_identity id, const login_reply& to) {
  auto& st = self->state;
  if (!st.conn) return; // closed while the login was checked
  MPK_INFO(st.who, "login accepted: ", id.who == login_identity::kind::pbx ? "PBX link of " : "client of ",
           id.tenant.empty() ? std::string("every tenant (operator)") : id.tenant, " as ", id.sip);
  // The next actor points the bridge at itself before it sends AppLoginResult: the peer may
  // answer that at once, and its next frame must not reach this gate, which quits now.
  if (id.who == login_identity::kind::pbx)
    spawn_pbx_link(self->system(), st.ctx, st.conn, st.bridge, std::move(id), to.src);
  else
    spawn_client_session(self->system(), st.ctx, st.conn, st.bridge, std::move(id), to.src);
  st.conn = nullptr;
  self->quit();
}

/// The first of `secrets` the digest of `f` over `challenge` verifies with; nullptr if none.
const std::string* matching_secret(const applogin_fields& f, const std::string& challenge,
                                   std::initializer_list<const std::string*> secrets) {
  crypto::login_fields fields{f.app, f.domain, f.sip, f.guid, f.dn, std::nullopt};
  for (const auto* s : secrets)
    if (s && !s->empty() && crypto::verify_login_digest(fields, f.info, challenge, *s, f.digest)) return s;
  return nullptr;
}

login_identity identity_of(const applogin_fields& f, login_identity::kind who, const std::string& challenge,
                           const std::string& password) {
  login_identity id;
  id.who = who;
  id.app = f.app;
  id.domain = f.domain;
  id.sip = f.sip;
  id.guid = f.guid;
  id.dn = f.dn;
  id.pbx_obj = f.pbx_obj;
  id.info = f.info ? crypto::compact_json(*f.info) : std::string();
  id.session_key = crypto::session_key(challenge, password);
  id.pbx = f.pbx;
  id.test_mode = f.test_mode;
  id.lics = f.lics.value_or(-1);
  return id;
}

/// A PBX link or a myApps user: signed with the App object password of the PBX's domain, else
/// the instance's (the SDK's order, docs/spec/appwebsocket.md §2.3); scoped to that PBX.
void pbx_signed_login(self_ptr self, const classified_login& c, const std::string& challenge, const login_reply& to) {
  auto& opts = self->state.ctx->options;
  const auto& f = c.fields;
  const auto* tenant = find_tenant(opts.domain_passwords, f.domain);
  const auto* shared = opts.require_tenant_passwords ? nullptr : &opts.password;
  const auto* password = matching_secret(f, challenge, {tenant ? &tenant->second : nullptr, shared});
  if (!password) return refuse(self, to, "LOGIN_FAILURE", "wrong digest (App object password or challenge mismatch)");
  auto who = *c.form == login_form::pbx_link ? login_identity::kind::pbx : login_identity::kind::user;
  auto id = identity_of(f, who, challenge, *password);
  id.shared_password = password == shared;
  id.tenant = f.domain;
  if (who == login_identity::kind::user) {
    // A login is good at the App object it was issued for only (not at another tenant's).
    app_object_claim claim{self->state.conn->target(), f.domain, f.pbx_obj, std::nullopt, std::nullopt};
    if (f.has_appobj) claim.appobj = f.appobj;
    if (f.has_appurl) claim.appurl = f.appurl;
    if (auto why = app_object_mismatch(claim, opts.domain_passwords); !why.empty())
      return refuse(self, to, "WRONG_APP_OBJECT", why);
    if (f.unlicensed && !f.test_mode && !opts.free_app)
      return refuse(self, to, "UNLICENSED", "no App(innovaphone-myphonekeys) licence is assigned to this user");
  }
  admit(self, std::move(id), to);
}

/// A password login: the operator's credentials (every tenant), or the App object password of
/// the tenant whose URL `/<domain>/<instance>` it arrived on (that tenant only). The scope comes
/// from what verified the digest and from the URL, never from the login's own `domain`.
void password_login(self_ptr self, const classified_login& c, const std::string& challenge, const login_reply& to) {
  auto& st = self->state;
  auto& opts = st.ctx->options;
  const auto& f = c.fields;
  if (!opts.operator_password.empty() && (opts.operator_name.empty() || f.sip == opts.operator_name))
    if (const auto* pw = matching_secret(f, challenge, {&opts.operator_password}))
      return admit(self, identity_of(f, login_identity::kind::op, challenge, *pw), to);

  const std::string url_domain = url_tenant(st.conn->target());
  constexpr std::string_view wrong = "wrong name or password for this App Service URL";
  if (url_domain.empty()) return refuse(self, to, "LOGIN_FAILURE", wrong);
  if (!f.domain.empty() && !same_domain_name(f.domain, url_domain))
    return refuse(self, to, "WRONG_APP_OBJECT",
                  "the login names the domain " + f.domain + ", this is the App object URL of " + url_domain);
  if (const auto* tenant = find_tenant(opts.domain_passwords, url_domain)) {
    // A tenant with its own password is opened by that password only, never by the shared one.
    const auto* pw = matching_secret(f, challenge, {&tenant->second});
    if (!pw) return refuse(self, to, "LOGIN_FAILURE", wrong);
    auto id = identity_of(f, login_identity::kind::tenant_admin, challenge, *pw);
    id.tenant = tenant->first;
    return admit(self, std::move(id), to);
  }
  const auto* pw = opts.require_tenant_passwords ? nullptr : matching_secret(f, challenge, {&opts.password});
  if (!pw) return refuse(self, to, "LOGIN_FAILURE", wrong);
  // The shared password opens the URL of a PBX that actually linked, as that PBX's tenant.
  auto id = identity_of(f, login_identity::kind::tenant_admin, challenge, *pw);
  auto dir = st.ctx->services.directory();
  if (!dir) return refuse(self, to, "NO_PBX", "no PBX of " + url_domain + " is linked to this App Service");
  self->request(dir, std::chrono::seconds(5), atom::tenant_of_v, url_domain)
    .then(
      [=](const std::string& tenant) mutable {
        if (tenant.empty())
          return refuse(self, to, "NO_PBX", "no PBX of " + url_domain + " is linked to this App Service");
        id.tenant = tenant;
        admit(self, std::move(id), to);
      },
      [=](const caf::error&) { refuse(self, to, "NO_PBX", "the list of linked PBXs did not answer; try again"); });
}

void on_app_login(self_ptr self, const json::envelope& env) {
  auto& st = self->state;
  auto to = login_reply::of(env);
  std::string challenge = std::exchange(st.challenge, {});
  if (challenge.empty())
    return refuse(self, to, "LOGIN_FAILURE", "AppLogin without a challenge: send AppChallenge first");
  auto c = classify_login(env);
  if (!c.form) return refuse(self, to, "LOGIN_FAILURE", c.error);
  MPK_TRACE(app, st.who, "AppLogin is a ", describe(*c.form), " of ", c.fields.sip, "@", c.fields.domain);
  if (*c.form == login_form::password) return password_login(self, c, challenge, to);
  pbx_signed_login(self, c, challenge, to);
}

/// AppCheckLogin (docs/spec/appwebsocket.md §2.7): the PBX Manager tests the password of an App object
/// against this service. Answered without logging in; a few wrong answers close the connection,
/// so it cannot be used to guess passwords faster than logins can.
void on_check_login(self_ptr self, const json::envelope& env) {
  auto& st = self->state;
  auto& opts = st.ctx->options;
  auto field = [&](const char* k) { return std::string(env.string(k).value_or("")); };
  auto app = field("app"), domain = field("domain"), challenge = field("challenge"), digest = field("digest");
  json::json_writer w;
  json::begin_reply(w, env, "AppCheckLoginResult");
  if (app.empty() || challenge.empty() || digest.empty()) {
    w.member("ok", false)
      .member("error", "BAD_REQUEST")
      .member("errorText", "AppCheckLogin needs app, challenge and digest");
    return send(self, w.end_object().take());
  }
  const auto* tenant = find_tenant(opts.domain_passwords, domain);
  bool ok = false;
  const std::string* candidates[] = {tenant ? &tenant->second : nullptr,
                                     opts.require_tenant_passwords ? nullptr : &opts.password};
  for (const std::string* pw : candidates)
    if (pw && !pw->empty() && crypto::verify_check_login_digest(app, domain, challenge, *pw, digest)) ok = true;
  w.member("ok", ok).end_object();
  send(self, w.take());
  MPK_INFO(st.who, "AppCheckLogin of ", app, domain.empty() ? "" : "@", domain, ": ",
           ok ? "password right" : "password wrong");
  if (!ok && ++st.failed_checks >= max_failed_checks) {
    st.ctx->counters.logins_failed++;
    MPK_WARN(st.who, "AppCheckLogin failed ", st.failed_checks, " times: closing");
    st.conn->close(1008, "too many failed checks");
  }
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
  if (mt == "AppCheckLogin") return on_check_login(self, *env);
  if (mt == "GetLoginOptions") {
    json::begin_reply(w, *env, "GetLoginOptionsResult");
    // A password login is possible with the operator's credentials, or here with the App object
    // password of this URL's tenant (its own, or the shared one).
    auto& opts = st.ctx->options;
    bool tenant_url = !url_tenant(st.conn ? st.conn->target() : std::string_view{}).empty();
    bool password_login =
      !opts.operator_password.empty() || (tenant_url && (!opts.password.empty() || !opts.domain_passwords.empty()));
    w.member("passwordLogin", password_login).member("app", "innovaphone-myphonekeys").end_object();
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
  send(self,
       json::error_reply(env, std::string(mt) + "Result", "NOT_LOGGED_IN", "log in first (AppChallenge, AppLogin)"));
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
