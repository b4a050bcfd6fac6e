#include "services/gateway/pbx_link.hpp"

#include "common/actors/atoms.hpp"
#include "common/base/log.hpp"
#include "common/crypto/session_key.hpp"
#include "common/json/envelope.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/response_promise.hpp>
#include <caf/stateful_actor.hpp>

#include <map>

namespace mpk::gateway {

namespace {

constexpr auto service_login_timeout = std::chrono::seconds(10);

struct pbx_link_state {
  std::shared_ptr<gateway_context> ctx;
  net::connection_ptr conn;
  login_identity id;
  json::envelope_parser parser;
  pbx_info info;
  bool services_granted = false;
  std::uint64_t next_src = 1;
  std::map<std::string, caf::response_promise> pending; ///< GetServiceLogin by src
  std::string who;
  static inline const char* name = "pbx_link";
};

using self_ptr = caf::stateful_actor<pbx_link_state>*;

/// The link as the registry and the link directory hold it: it answers (svc_login …) below, and
/// takes the websocket bridge's messages besides (so it stays dynamically typed itself).
pbx_link_actor as_pbx_link(self_ptr self) { return caf::actor_cast<pbx_link_actor>(self); }

void send(self_ptr self, std::string frame) {
  MPK_TRACE(appws, self->state.who, "out ", log::mask_secrets(frame));
  self->state.conn->send_text(std::move(frame));
}

std::string str(simdjson::dom::element e, const char* key) {
  std::string_view s;
  if (e[key].get(s)) return {};
  return std::string(s);
}

void announce(self_ptr self) {
  auto& st = self->state;
  if (auto reg = st.ctx->services.registry()) self->send(reg, atom::pbx_up_v, st.info, as_pbx_link(self));
  if (auto dir = st.ctx->services.directory()) self->send(dir, atom::pbx_up_v, st.info, as_pbx_link(self));
}

void on_pbx_info(self_ptr self, const json::envelope& env) {
  auto& st = self->state;
  st.info.pbx = std::string(env.string("pbx").value_or(""));
  st.info.pbx_dns = std::string(env.string("pbxDns").value_or(""));
  st.info.version = std::string(env.string("version").value_or(""));
  if (auto d = env.string("domain"); d && !d->empty() && *d != st.info.tenant)
    MPK_WARN(st.who, "PbxInfo domain '", *d, "' differs from the login domain '", st.info.tenant, "'");
  simdjson::dom::array apis;
  st.services_granted = false;
  if (!env.root()["apis"].get(apis))
    for (auto a : apis) {
      std::string_view s;
      if (!a.get(s) && s == "Services") st.services_granted = true;
    }
  MPK_INFO(
    st.who, "PBX '", st.info.pbx, "' of ", st.info.tenant, " version ", st.info.version,
    st.services_granted ? ", Services API granted" : ", Services API NOT granted (tick 'Services' on the App object)");
  if (st.services_granted) {
    json::json_writer w;
    json::begin_message(w, "SubscribeServices", "Services", "services");
    w.end_object();
    send(self, w.take());
  }
  announce(self);
}

void on_services_info(self_ptr self, const json::envelope& env) {
  auto& st = self->state;
  st.info.services.clear();
  simdjson::dom::array services;
  if (!env.root()["services"].get(services))
    for (auto s : services) {
      granted_service g;
      g.name = str(s, "name");
      g.title = str(s, "title");
      g.url = str(s, "url");
      simdjson::dom::object info;
      if (!s["info"].get(info)) {
        simdjson::dom::element ignored;
        g.devices_api = !info["com.innovaphone.devices"].get(ignored);
      }
      if (!g.name.empty()) st.info.services.push_back(std::move(g));
    }
  std::size_t devices = 0;
  for (auto& g : st.info.services) devices += g.devices_api ? 1 : 0;
  MPK_INFO(st.who, "ServicesInfo: ", st.info.services.size(), " services, ", devices, " devices-api",
           devices == 0 ? " (grant 'devices-api' on the App object's Apps tab)" : "");
  announce(self);
}

void on_service_login_result(self_ptr self, const json::envelope& env) {
  auto& st = self->state;
  auto it = st.pending.find(std::string(env.src()));
  if (it == st.pending.end()) return; // late answer after our timeout
  auto promise = std::move(it->second);
  st.pending.erase(it);
  service_login r;
  if (auto e = env.string("error")) {
    r.error = "GetServiceLogin refused by the PBX: " + std::string(*e);
    promise.deliver(std::move(r));
    return;
  }
  auto f = [&](const char* k) { return std::string(env.string(k).value_or("")); };
  r.app = f("app");
  r.domain = f("domain");
  r.sip = f("sip");
  r.guid = f("guid");
  r.dn = f("dn");
  r.pbx_obj = f("pbxObj");
  r.digest = f("digest");
  if (auto info = env.raw("info")) r.info = std::string(*info);
  // docs/spec/appwebsocket.md §4 step 6: the target's session key travels RC4-wrapped with our link's key.
  auto key = crypto::decrypt(f("salt"), f("key"), st.id.session_key);
  if (!key)
    r.error = "GetServiceLogin result carries no usable key";
  else
    r.session_key = *key;
  promise.deliver(std::move(r));
}

void on_text(self_ptr self, const std::string& frame) {
  auto& st = self->state;
  MPK_TRACE(appws, st.who, "in ", log::mask_secrets(frame));
  json::envelope_errc err{};
  auto env = st.parser.parse(frame, err);
  if (!env) {
    MPK_WARN(st.who, "bad frame from PBX: ", json::describe(err));
    return;
  }
  auto mt = env->mt();
  auto api = env->api();
  json::json_writer w;
  if (api == "Services") {
    if (mt == "ServicesInfo") return on_services_info(self, *env);
    if (mt == "GetServiceLoginResult") return on_service_login_result(self, *env);
    return; // SubscribeServicesResult, UnsubscribeServicesResult
  }
  if (mt == "PbxInfo") return on_pbx_info(self, *env);
  if (mt == "AppInfo") {
    json::begin_reply(w, *env, "AppInfoResult");
    w.member("app", env->string("app").value_or("innovaphone-myphonekeys")).end_object();
    return send(self, w.take());
  }
  if (mt == "KeepAlive") {
    json::begin_reply(w, *env, "KeepAlive");
    w.end_object();
    return send(self, w.take());
  }
  if (mt == "AppChallenge" || mt == "AppLogin") return; // already logged in
  if (!api.empty() || mt.size() < 6 || mt.substr(mt.size() - 6) != "Result")
    send(self, json::error_reply(env, std::string(mt) + "Result", "UNKNOWN_MESSAGE", "not supported by this service"));
}

caf::behavior pbx_link(self_ptr self, std::shared_ptr<gateway_context> ctx, net::connection_ptr conn,
                       std::shared_ptr<ws_bridge> bridge, login_identity id, std::string src) {
  auto& st = self->state;
  st.ctx = std::move(ctx);
  st.conn = std::move(conn);
  st.id = std::move(id);
  st.parser = json::envelope_parser(st.ctx->options.max_message_bytes);
  st.info.tenant = st.id.domain;
  st.info.pbx = st.id.pbx;
  st.info.test_mode = st.id.test_mode;
  st.info.lics = st.id.lics;
  st.info.shared_password = st.id.shared_password;
  st.who = "pbx_link[" + st.info.tenant + "]#" + std::to_string(st.conn->id());
  MPK_INFO(st.who, "PBX logged in from ", st.conn->remote(), " as ", st.id.sip, " (", st.id.dn, ")");
  bridge->retarget(caf::actor_cast<caf::actor>(self)); // before AppLoginResult: the peer's answer comes here
  json::json_writer w;
  w.begin_object().member("mt", "AppLoginResult");
  if (!src.empty()) w.key("src").raw(src);
  w.member("ok", true).member("domain", st.ctx->options.instance_domain).end_object();
  send(self, w.take());
  return {
    [=](atom::ws_text, const std::string& frame) { on_text(self, frame); },
    [=](atom::ws_binary, const std::string&) {},
    [=](atom::svc_login, const std::string& service, const std::string& challenge) -> caf::result<service_login> {
      auto& st = self->state;
      if (!st.services_granted) {
        service_login r;
        r.error = "the PBX does not grant the Services API";
        return r;
      }
      auto src = "sl" + std::to_string(st.next_src++);
      json::json_writer w;
      json::begin_message(w, "GetServiceLogin", "Services", src);
      w.member("app", service).member("challenge", challenge).end_object();
      send(self, w.take());
      auto promise = self->make_response_promise<service_login>();
      st.pending.emplace(src, promise);
      self->delayed_send(self, service_login_timeout, atom::tick_v, src);
      return promise;
    },
    [=](atom::tick, const std::string& src) {
      auto it = self->state.pending.find(src);
      if (it == self->state.pending.end()) return;
      service_login r;
      r.error = "the PBX did not answer GetServiceLogin within 10 s";
      it->second.deliver(std::move(r));
      self->state.pending.erase(it);
    },
    [=](atom::ws_closed, const std::string& reason) {
      auto& st = self->state;
      MPK_WARN(st.who, "PBX link closed: ", reason);
      for (auto& [src, promise] : st.pending) {
        service_login r;
        r.error = "PBX link closed";
        promise.deliver(std::move(r));
      }
      st.pending.clear();
      if (auto reg = st.ctx->services.registry()) self->send(reg, atom::pbx_down_v, st.info.tenant, as_pbx_link(self));
      if (auto dir = st.ctx->services.directory()) self->send(dir, atom::pbx_down_v, st.info.tenant, as_pbx_link(self));
      self->quit();
    },
  };
}

} // namespace

caf::actor spawn_pbx_link(caf::actor_system& sys, std::shared_ptr<gateway_context> ctx, net::connection_ptr conn,
                          std::shared_ptr<ws_bridge> bridge, login_identity id, std::string src) {
  return sys.spawn(pbx_link, std::move(ctx), std::move(conn), std::move(bridge), std::move(id), std::move(src));
}

} // namespace mpk::gateway
