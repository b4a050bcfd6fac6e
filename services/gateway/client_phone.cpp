// client_session: the watched phone (LCD frames, state, keys, text, actions, commands, admin UI).

#include "services/gateway/admin_ui/relay_route.hpp"
#include "services/gateway/client_state.hpp"

#include "common/http/url.hpp"

namespace mpk::gateway {

namespace {

actor_identity identity_of(client_ptr self) {
  auto& id = self->state.id;
  return actor_identity{id.tenant, id.pbx, id.sip, id.dn};
}

void send_command_result(client_ptr self, const reply_to& to, const command_result& r, std::string_view typed = {}) {
  json::json_writer w;
  to.begin(w);
  w.member("ok", r.ok).member("status", r.status);
  if (!r.ok) w.member("error", r.error).member("errorText", r.text);
  if (!r.ok && r.error == "SERVICE_UNAVAILABLE")
    w.member("retryAfterMs", service_unavailable(service_kind::phone_sessions).retry_after_ms);
  else if (!r.text.empty())
    w.member("output", r.text);
  if (!typed.empty()) w.member("text", typed);
  w.end_object();
  send_frame(self, w.take());
}

/// "/<domain>/<instance>" of the app's websocket: the relay of an admin UI opens under it.
std::string app_path_of(const std::string& ws_target) {
  auto segs = http::path_segments(ws_target);
  if (segs.size() < 2) return {};
  return "/" + std::string(segs[0]) + "/" + std::string(segs[1]);
}

} // namespace

void stop_watching(client_ptr self, bool end_admin_ui_relays) {
  auto& st = self->state;
  if (st.watch_device.empty()) return;
  if (end_admin_ui_relays && st.conn) end_admin_ui(*st.ctx, st.conn->id(), st.watch_device, "the phone was unwatched");
  if (auto phones = st.ctx->services.phones()) self->send(phones, atom::unwatch_v, st.watch_device, as_watcher(self));
  st.watch_device.clear();
  st.watch_src.clear();
}

void app_session_closed(client_ptr self) {
  auto& st = self->state;
  if (st.conn) st.ctx->relays.detach(st.conn->id(), relay_sessions::clock::now());
  stop_watching(self, false);
}

void watch(client_ptr self, const json::envelope& env) {
  auto to = reply_to::of(env, "WatchResult");
  auto device = std::string(env.string("device").value_or(""));
  if (device.empty()) return send_error(self, to, "BAD_REQUEST", "Watch needs a device id");
  auto phones = self->state.ctx->services.phones();
  if (!phones) return send_unavailable(self, to, service_kind::phone_sessions);
  stop_watching(self, true); // one watched phone per connection
  self->state.watch_device = device;
  self->state.watch_src = to.src;
  self->request(phones, service_timeout, atom::watch_v, device, self->state.tenants, as_watcher(self))
    .then(
      [=](const phone_target& t) {
        // The same user back on the same phone from a new app session (a reconnect): the admin
        // UI relay of the old one lives on with this one.
        if (self->state.conn) self->state.ctx->relays.adopt(identity_of(self), device, self->state.conn->id());
        json::json_writer w;
        to.begin(w);
        w.member("device", t.device).member("product", t.product);
        auto* catalog = self->state.ctx->catalog;
        auto s = catalog ? catalog->find(t.product, t.type, t.version) : models::support{};
        if (s.m) {
          w.member("family", s.m->family);
          w.key("actions").begin_array();
          for (auto& a : catalog->action_names(*s.m)) w.value(a);
          w.end_array();
        }
        w.key("info")
          .begin_object()
          .member("name", t.name)
          .member("hwId", t.hw_id)
          .member("ip", t.ip)
          .member("version", t.version)
          .member("domainName", t.domain_name)
          .member("online", t.online)
          .end_object();
        w.end_object();
        send_frame(self, w.take());
      },
      [=](const caf::error& err) {
        if (self->state.watch_device == device) {
          self->state.watch_device.clear();
          self->state.watch_src.clear();
        }
        send_caf_error(self, to, err, service_kind::phone_sessions);
      });
}

void rewatch(client_ptr self) {
  auto& st = self->state;
  auto phones = st.ctx->services.phones();
  if (st.watch_device.empty() || !phones) return;
  auto device = st.watch_device;
  self->request(phones, service_timeout, atom::watch_v, device, st.tenants, as_watcher(self))
    .then([=](const phone_target&) { MPK_INFO(self->state.who, "watching ", device, " again"); },
          [=](const caf::error& err) {
            // Node changes come with peers restarting: the phone's node may be back before the
            // registry it asks for the target. Try again while the browser still watches it.
            MPK_WARN(self->state.who, "watching ", device, " again failed: ", to_string(err), "; trying again in 1 s");
            if (self->state.watch_device == device)
              self->delayed_send(self, std::chrono::seconds(1), atom::retry_v, std::string("phones"));
          });
}

void unwatch(client_ptr self, const json::envelope& env) {
  auto to = reply_to::of(env, "UnwatchResult");
  stop_watching(self, true);
  json::json_writer w;
  to.begin(w);
  w.end_object();
  send_frame(self, w.take());
}

void frame_ack(client_ptr self, const json::envelope& env) {
  auto& st = self->state;
  auto device = env.string("device").value_or("");
  auto seq = env.integer("seq");
  if (device != st.watch_device || !seq || *seq < 0) return;
  if (auto phones = st.ctx->services.phones())
    self->send(phones, atom::frame_ack_v, st.watch_device, static_cast<std::uint32_t>(*seq), as_watcher(self));
}

void phone_operation(client_ptr self, const json::envelope& env) {
  auto mt = std::string(env.mt());
  auto to = reply_to::of(env, mt + "Result");
  auto& st = self->state;
  phone_command cmd;
  cmd.device = std::string(env.string("device").value_or(""));
  if (cmd.device.empty()) return send_error(self, to, "BAD_REQUEST", mt + " needs a device id");
  cmd.who = identity_of(self);
  auto hold = env.integer("holdMs").value_or(0);
  if (hold < 0 || hold > 10000) return send_error(self, to, "BAD_REQUEST", "holdMs must be 0..10000");
  cmd.hold_ms = static_cast<std::int32_t>(hold);
  std::string typed;
  if (mt == "Key") {
    cmd.kind = command_kind::key;
    cmd.name = std::string(env.string("key").value_or(""));
  } else if (mt == "Touch") {
    cmd.kind = command_kind::touch;
    auto x = env.integer("x"), y = env.integer("y");
    if (!x || !y || *x < 0 || *y < 0 || *x > 4096 || *y > 4096)
      return send_error(self, to, "BAD_REQUEST", "Touch needs x and y");
    cmd.x = static_cast<std::int32_t>(*x);
    cmd.y = static_cast<std::int32_t>(*y);
  } else if (mt == "TypeText") {
    cmd.kind = command_kind::text;
    cmd.name = std::string(env.string("text").value_or(""));
  } else if (mt == "TypeKeys") {
    // The admin's keyboard layout decides which character each physical key typed.
    auto layout = env.string("layout").value_or("");
    simdjson::dom::array keys;
    if (!st.ctx->layouts || env.root()["keys"].get(keys))
      return send_error(self, to, "BAD_REQUEST", "TypeKeys needs layout and keys");
    if (keys.size() > 256) return send_error(self, to, "BAD_REQUEST", "at most 256 keys at once");
    for (auto k : keys) {
      std::string_view code;
      bool shift = false, altgr = false;
      if (k["code"].get(code)) return send_error(self, to, "BAD_REQUEST", "every key needs a code");
      if (k["shift"].get(shift)) shift = false;
      if (k["altgr"].get(altgr)) altgr = false;
      auto ch = st.ctx->layouts->resolve(layout, code, shift, altgr);
      if (!ch) return send_error(self, to, "BAD_KEY", "unknown layout or key code '" + std::string(code) + "'");
      typed += *ch;
    }
    cmd.kind = command_kind::text;
    cmd.name = typed;
  } else if (mt == "SetKeyLabels") {
    // Checked against the model by the phone session; here only the shape and the size.
    simdjson::dom::object labels;
    if (env.root()["labels"].get(labels) || labels.size() == 0 || labels.size() > 64)
      return send_error(self, to, "BAD_REQUEST", "SetKeyLabels needs labels: an object of 1 to 64 key ids and texts");
    cmd.kind = command_kind::labels;
    cmd.arg = simdjson::minify(labels);
  } else if (mt == "Action") {
    cmd.kind = command_kind::action;
    cmd.name = std::string(env.string("action").value_or(""));
    cmd.arg = std::string(env.string("arg").value_or(""));
  } else {
    cmd.kind = command_kind::command;
    cmd.name = std::string(env.string("command").value_or(""));
  }
  auto phones = st.ctx->services.phones();
  if (!phones) return send_unavailable(self, to, service_kind::phone_sessions);
  // Scope first: the registry refuses a device outside this client's tenants.
  auto reg = st.ctx->services.registry();
  if (!reg) return send_unavailable(self, to, service_kind::registry);
  self->request(reg, service_timeout, atom::target_v, cmd.device, st.tenants)
    .then(
      [=](const phone_target&) {
        self->request(phones, phone_timeout, atom::command_v, cmd)
          .then([=](const command_result& r) { send_command_result(self, to, r, typed); },
                [=](const caf::error& err) { send_caf_error(self, to, err, service_kind::phone_sessions); });
      },
      [=](const caf::error& err) { send_caf_error(self, to, err, service_kind::registry); });
}

void open_admin_ui(client_ptr self, const json::envelope& env) {
  auto to = reply_to::of(env, "OpenAdminUiResult");
  auto device = std::string(env.string("device").value_or(""));
  auto reg = self->state.ctx->services.registry();
  if (!reg) return send_unavailable(self, to, service_kind::registry);
  self->request(reg, service_timeout, atom::target_v, device, self->state.tenants)
    .then(
      [=](const phone_target& t) {
        auto& st = self->state;
        if (!t.online) return send_error(self, to, "OFFLINE", "the phone is offline");
        // The relay lives as long as this watch: Unwatch (or watching another phone) ends it.
        if (st.watch_device != device) return send_error(self, to, "NOT_WATCHED", "watch the phone first");
        if (!st.conn) return;
        relay_sessions::owner by{st.conn->id(), identity_of(self), st.tenants};
        auto ticket =
          st.ctx->relays.issue(std::move(by), device, app_path_of(st.conn->target()), relay_sessions::clock::now());
        json::json_writer w;
        to.begin(w);
        w.member("url", "admin/open/" + ticket).end_object();
        send_frame(self, w.take());
      },
      [=](const caf::error& err) { send_caf_error(self, to, err, service_kind::registry); });
}

void get_audit(client_ptr self, const json::envelope& env) {
  auto to = reply_to::of(env, "GetAuditResult");
  auto device = std::string(env.string("device").value_or(""));
  auto limit = static_cast<std::uint32_t>(std::clamp<std::int64_t>(env.integer("limit").value_or(100), 1, 1000));
  auto phones = self->state.ctx->services.phones();
  if (!phones) return send_unavailable(self, to, service_kind::phone_sessions);
  auto fetch = [=] {
    self->request(phones, service_timeout, atom::audit_v, device, limit)
      .then(
        [=](const std::string& entries) {
          json::json_writer w;
          to.begin(w);
          w.key("entries").raw(entries.empty() ? "[]" : entries).end_object();
          send_frame(self, w.take());
        },
        [=](const caf::error& err) { send_caf_error(self, to, err, service_kind::phone_sessions); });
  };
  if (is_operator(self)) return fetch();
  // Users read the audit of devices in their scope only.
  if (device.empty()) return send_error(self, to, "FORBIDDEN", "name a device of your PBX");
  auto reg = self->state.ctx->services.registry();
  if (!reg) return send_unavailable(self, to, service_kind::registry);
  self->request(reg, service_timeout, atom::target_v, device, self->state.tenants)
    .then([=](const phone_target&) { fetch(); },
          [=](const caf::error& err) { send_caf_error(self, to, err, service_kind::registry); });
}

namespace {

/// The acts of a WireCheck ([{entry, candidate, key|x,y|text, holdMs?}]) in the phone manager's
/// "key:0:MENU" form; false with `err` for a malformed one.
bool wire_acts(const json::envelope& env, std::vector<std::string>& out, std::string& err) {
  simdjson::dom::array acts;
  if (env.root()["acts"].get(acts)) return true; // none: read-only candidates only
  if (acts.size() > 16) {
    err = "at most 16 acts at once";
    return false;
  }
  for (auto a : acts) {
    std::string_view entry, key, text;
    std::int64_t candidate = -1, x = -1, y = -1, hold = 0;
    if (a["entry"].get(entry) || a["candidate"].get(candidate) || candidate < 0 || candidate > 99) {
      err = "every act needs entry and candidate";
      return false;
    }
    if (a["holdMs"].get(hold)) hold = 0;
    std::string spec = std::string(entry) + ":" + std::to_string(candidate) + ":";
    if (entry == "key" && !a["key"].get(key)) {
      spec += std::string(key) + ":" + std::to_string(hold);
    } else if (entry == "touch" && !a["x"].get(x) && !a["y"].get(y)) {
      spec += std::to_string(x) + ":" + std::to_string(y);
    } else if (entry == "text" && !a["text"].get(text)) {
      spec += std::string(text);
    } else {
      err = "an act is a key (key), a touch (x, y) or a text (text)";
      return false;
    }
    out.push_back(std::move(spec));
  }
  return true;
}

} // namespace

/// WireCheck {device, acts?}: every read-only wire candidate of the phone, and the acts asked for.
void wire_check(client_ptr self, const json::envelope& env) {
  auto to = reply_to::of(env, "WireCheckResult");
  if (!may_trace(self)) return send_error(self, to, "FORBIDDEN", "the wire check is for operators and trace admins");
  auto device = std::string(env.string("device").value_or(""));
  if (device.empty()) return send_error(self, to, "BAD_REQUEST", "WireCheck needs a device id");
  std::vector<std::string> acts;
  std::string err;
  if (!wire_acts(env, acts, err)) return send_error(self, to, "BAD_REQUEST", err);
  auto phones = self->state.ctx->services.phones();
  auto reg = self->state.ctx->services.registry();
  if (!reg) return send_unavailable(self, to, service_kind::registry);
  if (!phones) return send_unavailable(self, to, service_kind::phone_sessions);
  // The check may take a while: every candidate is one request to the phone.
  constexpr auto check_timeout = std::chrono::seconds(120);
  self->request(reg, service_timeout, atom::target_v, device, self->state.tenants)
    .then(
      [=](const phone_target&) {
        self->request(phones, check_timeout, atom::wire_check_v, device, acts, identity_of(self))
          .then(
            [=](const std::string& report) {
              json::json_writer w;
              to.begin(w);
              w.key("report").raw(report).end_object();
              send_frame(self, w.take());
            },
            [=](const caf::error& e) { send_caf_error(self, to, e, service_kind::phone_sessions); });
      },
      [=](const caf::error& e) { send_caf_error(self, to, e, service_kind::registry); });
}

/// ReloadWire {}: every phone-session node reads phone.wire-file again.
void reload_wire(client_ptr self, const json::envelope& env) {
  auto to = reply_to::of(env, "ReloadWireResult");
  if (!is_operator(self)) return send_error(self, to, "FORBIDDEN", "only operators reload the wire file");
  auto phones = self->state.ctx->services.phones();
  if (!phones) return send_unavailable(self, to, service_kind::phone_sessions);
  MPK_INFO(self->state.who, "wire file reload requested by ", self->state.id.sip);
  self->request(phones, service_timeout, atom::wire_reload_v)
    .then(
      [=](const std::string& nodes) {
        json::json_writer w;
        to.begin(w);
        // ok when every node took the file; each node's answer names the entry of an error.
        bool ok = nodes.find("\"ok\":false") == std::string::npos;
        w.member("ok", ok).key("nodes").raw(nodes).end_object();
        send_frame(self, w.take());
      },
      [=](const caf::error& e) { send_caf_error(self, to, e, service_kind::phone_sessions); });
}

} // namespace mpk::gateway
