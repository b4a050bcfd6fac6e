// phone_manager: spawns, supervises and routes to the phone sessions; owns the audit log.

#include "services/phone-session/src/phone_manager.hpp"

#include "common/actors/atoms.hpp"
#include "common/base/log.hpp"
#include "common/json/writer.hpp"
#include "common/models/catalog.hpp"
#include "services/phone-session/src/audit_log.hpp"
#include "services/phone-session/src/key_labels.hpp"
#include "common/actors/errors.hpp"
#include "services/phone-session/src/caf_errors.hpp"
#include "services/phone-session/src/command_plan.hpp"
#include "services/phone-session/src/phone_session.hpp"
#include "services/phone-session/src/wire_memory.hpp"
#include "services/phone-session/wire/wire_check.hpp"

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace mpk {

namespace {

constexpr auto status_timeout = std::chrono::seconds(3);
constexpr auto respawn_min = std::chrono::milliseconds(200);
constexpr auto respawn_max = std::chrono::seconds(10);
constexpr auto stable_after = std::chrono::seconds(60); ///< a session that ran this long starts a fresh backoff

/// One phone the manager knows: its session (invalid while a respawn waits) and its watchers.
struct device_entry {
  phone_session_actor session;
  phone_target target;
  const models::model* model = nullptr;
  std::vector<phone_watcher_actor> watchers;
  unsigned restarts = 0;
  std::uint64_t respawn_epoch = 0;
  caf::actor_clock::time_point started{};
};

struct watcher_entry {
  phone_watcher_actor handle;
  std::set<std::string> devices;
};

struct manager_state {
  static inline const char* name = "phone_manager";
  phone_options opts;
  std::unique_ptr<session::audit_log> audit;
  std::map<std::string, device_entry> devices;
  std::map<caf::actor_addr, std::string> session_of; ///< live session -> device
  std::map<caf::actor_addr, watcher_entry> watchers; ///< monitored watchers
  /// Watches waiting for their target, and those of them an unwatch overtook (a router moving
  /// the phone to another node unwatches right after it watched): these are answered, not added.
  std::map<std::pair<std::string, caf::actor_addr>, std::set<std::uint64_t>> pending_watches;
  std::set<std::uint64_t> overtaken_watches;
  std::uint64_t next_watch = 1;
  bool draining = false;
  std::map<std::uint64_t, caf::response_promise> wire_checks; ///< running wire checks
  std::uint64_t next_check = 1;
};

/// The PHONE MANAGER with what only it sends itself.
using manager_internal_actor = phone_manager_node_actor::extend<
  /// INTERNAL: (wire_check, check id, report JSON) a wire check finished (from its Asio thread).
  caf::reacts_to<atom::wire_check, std::uint64_t, std::string>,
  /// INTERNAL: (retry, device, epoch) respawn the session of a device after its backoff.
  caf::reacts_to<atom::retry, std::string, std::uint64_t>>;

using manager_actor = manager_internal_actor::stateful_base<manager_state>;
constexpr const char* who = "phone_manager";

// -- sessions ------------------------------------------------------------------------

void spawn_session(manager_actor* self, const std::string& device, device_entry& e) {
  session_config cfg{device, e.target, e.model, self->state.opts, {}}; // supervisor: set by spawn_phone_session
  e.session = spawn_phone_session(self, std::move(cfg));
  e.started = self->clock().now();
  ++e.respawn_epoch; // a pending respawn tick is void now
  self->state.session_of[e.session.address()] = device;
  for (auto& w : e.watchers) self->send(e.session, atom::watch_v, w);
}

/// The session of `device`, spawned if there is none (or a respawn is still waiting).
phone_session_actor ensure_session(manager_actor* self, const std::string& device, const phone_target& t,
                                   const models::model* m) {
  auto& e = self->state.devices[device];
  bool changed = t.base_url != e.target.base_url || t.online != e.target.online || t.link_up != e.target.link_up;
  e.target = t;
  e.model = m;
  if (!e.session)
    spawn_session(self, device, e);
  else if (changed)
    self->send(e.session, t); // fresher than what the session holds? it keeps the newer one
  return e.session;
}

void on_session_down(manager_actor* self, const std::string& device, const caf::error& reason) {
  auto& st = self->state;
  auto it = st.devices.find(device);
  if (it == st.devices.end()) return;
  auto& e = it->second;
  e.session = nullptr;
  bool normal = !reason || reason == caf::exit_reason::normal;
  if (st.draining || (normal && e.watchers.empty())) {
    st.devices.erase(it);
    return;
  }
  if (normal) {
    // It ended its grace just as a watcher came: start it again at once.
    spawn_session(self, device, e);
    return;
  }
  if (self->clock().now() - e.started > stable_after) e.restarts = 0;
  auto delay = std::chrono::duration_cast<caf::timespan>(respawn_min);
  for (unsigned i = 0; i < e.restarts && delay < respawn_max; ++i) delay *= 2;
  delay = std::min<caf::timespan>(delay, respawn_max);
  ++e.restarts;
  MPK_WARN(who, "session of ", device, " ended: ", session::error_text(reason), "; respawn in ",
           std::chrono::duration_cast<std::chrono::milliseconds>(delay).count(), " ms");
  self->delayed_send(self, delay, atom::retry_v, device, ++e.respawn_epoch);
}

// -- watchers ------------------------------------------------------------------------

void add_watcher(manager_actor* self, const std::string& device, const phone_watcher_actor& w) {
  auto& st = self->state;
  auto& e = st.devices[device];
  if (std::find(e.watchers.begin(), e.watchers.end(), w) == e.watchers.end()) e.watchers.push_back(w);
  auto [it, fresh] = st.watchers.try_emplace(w.address());
  if (fresh) {
    it->second.handle = w;
    self->monitor(w);
  }
  it->second.devices.insert(device);
  if (e.session) self->send(e.session, atom::watch_v, w);
}

void remove_watcher(manager_actor* self, const std::string& device, const caf::actor_addr& addr, bool gone) {
  auto& st = self->state;
  auto d = st.devices.find(device);
  if (d != st.devices.end()) {
    auto& ws = d->second.watchers;
    auto w = std::find_if(ws.begin(), ws.end(), [&](const phone_watcher_actor& a) { return a.address() == addr; });
    if (w != ws.end()) {
      if (d->second.session) self->send(d->second.session, atom::unwatch_v, *w);
      ws.erase(w);
    }
    if (ws.empty() && !d->second.session) st.devices.erase(d); // no session and nobody waiting for its respawn
  }
  auto it = st.watchers.find(addr);
  if (it == st.watchers.end()) return;
  it->second.devices.erase(device);
  if (it->second.devices.empty() && !gone) {
    self->demonitor(addr);
    st.watchers.erase(it);
  }
}

// -- operations ------------------------------------------------------------------------

/// One line of the audit log: who did what to which phone, and how it went (also for other
/// services: the gateway's admin-UI relay sends an audit_note). False when it could not be written.
bool append_audit(manager_actor* self, const actor_identity& by, const std::string& device, const std::string& hw_id,
                  std::string kind, std::string what, bool ok, std::string result) {
  session::audit_entry e;
  e.ts = std::chrono::system_clock::now();
  e.tenant = by.tenant;
  e.pbx = by.pbx;
  e.sip = by.sip;
  e.dn = by.dn;
  e.device = device;
  e.hw_id = hw_id;
  e.kind = std::move(kind);
  e.what = std::move(what);
  e.ok = ok;
  e.result = std::move(result);
  std::string err;
  if (self->state.audit->append(e, err)) return true;
  MPK_ERROR(who, err);
  return false;
}

void write_audit(manager_actor* self, const phone_command& cmd, const std::string& hw_id, const command_result& r) {
  append_audit(self, cmd.who, cmd.device, hw_id, to_string(cmd.kind),
               session::describe_command(session::command_args{cmd.kind, cmd.name, cmd.arg, cmd.x, cmd.y, cmd.hold_ms}),
               r.ok, r.ok ? "ok " + std::to_string(r.status) : r.error + ": " + r.text);
}

/// Answers a command and writes it to the audit log (every command, ok or not).
void finish_command(manager_actor* self, caf::response_promise rp, const phone_command& cmd, const std::string& hw_id,
                    command_result r) {
  write_audit(self, cmd, hw_id, r);
  rp.deliver(std::move(r));
}

/// Sends a command to the device's session; retries once on a session that ended meanwhile.
void run_on_session(manager_actor* self, caf::response_promise rp, phone_command cmd, bool retried) {
  auto& st = self->state;
  auto it = st.devices.find(cmd.device);
  if (it == st.devices.end() || !it->second.session)
    return finish_command(
      self, rp, cmd, "", command_result{false, 0, "SERVICE_UNAVAILABLE", "the phone session is restarting, try again"});
  auto session = it->second.session;
  auto hw_id = it->second.target.hw_id;
  auto timeout = st.opts.request_timeout * 2 + std::chrono::seconds(2);
  self->request(session, timeout, atom::command_v, cmd)
    .then([=](command_result& r) mutable { finish_command(self, rp, cmd, hw_id, std::move(r)); },
          [=](caf::error& e) mutable {
            auto& devs = self->state.devices;
            auto d = devs.find(cmd.device);
            if (!retried && e == caf::sec::request_receiver_down && d != devs.end()) {
              // The session ended its grace with our request in its mailbox: start a new one.
              ensure_session(self, cmd.device, d->second.target, d->second.model);
              return run_on_session(self, rp, std::move(cmd), true);
            }
            // Plain words only: no rendering of the actor system's errors reaches a browser.
            bool timeout = e == caf::sec::request_timeout;
            finish_command(self, rp, cmd, hw_id,
                           command_result{false, 0, timeout ? "TIMEOUT" : "SERVICE_UNAVAILABLE",
                                          timeout ? "the phone did not answer in time"
                                                  : "the phone session is restarting, try again"});
          });
}

/// The registry's target for `device` and the support check, then `next(target, model)`;
/// `fail(code, text)` on any refusal.
template <class Next, class Fail>
void with_target(manager_actor* self, const std::string& device, std::vector<std::string> tenants, Next next,
                 Fail fail) {
  auto& st = self->state;
  if (!st.opts.registry) return fail(errc::unavailable, std::string("the device registry is not connected"));
  self->request(st.opts.registry, st.opts.request_timeout, atom::target_v, device, std::move(tenants))
    .then(
      [=](phone_target& t) mutable {
        auto s = self->state.opts.catalog->find(t.product, t.type, t.version);
        if (!s.m) {
          auto text = s.reason.find("unsupported") == std::string::npos ? "unsupported device: " + s.reason : s.reason;
          return fail(errc::unsupported, text);
        }
        if (t.device.empty()) t.device = device;
        next(std::move(t), s.m);
      },
      [=](caf::error& e) mutable {
        // The registry's own refusals keep their code; anything else means it is not there now.
        if (auto code = code_of(e); code != errc::none) return fail(code, text_of(e));
        fail(errc::unavailable, std::string("the device registry is restarting; try again shortly"));
      });
}

std::string placeholder_status(const std::string& device, const char* state, std::size_t watchers) {
  json::json_writer w;
  w.begin_object()
    .member("device", device)
    .member("state", state)
    .member("watchers", watchers)
    .member("frames", 0)
    .member("polls", 0)
    .member("lastError", "")
    .end_object();
  return w.take();
}

// -- wire data --------------------------------------------------------------------------------

/// Reads phone.wire-file again; a bad file leaves the data in force as it is. The answer is a
/// JSON array with this node's result.
std::string reload_wire(manager_actor* self) {
  auto& st = self->state;
  auto& mem = *st.opts.wire;
  json::json_writer w;
  w.begin_object();
  std::string err;
  std::optional<models::wire_book> book;
  if (mem.file().empty())
    book = models::wire_book::built_in(*st.opts.catalog);
  else
    book = models::wire_book::load(*st.opts.catalog, mem.file(), err);
  if (!book) {
    MPK_ERROR(who, "wire file not reloaded, the last good data stays in force: ", err);
    w.member("ok", false).member("error", err).member("origin", mem.current().book->origin()).end_object();
    return "[" + w.take() + "]";
  }
  auto changed = book->changed();
  auto origin = book->origin();
  auto gen = mem.replace(std::make_shared<const models::wire_book>(std::move(*book)));
  MPK_INFO(who, "wire data reloaded from ", origin, " (", changed.size(), " models differ from the built-in data)");
  for (auto& [device, e] : st.devices)
    if (e.session) self->send(e.session, atom::wire_reload_v);
  w.member("ok", true).member("origin", origin).member("generation", gen).key("changed").begin_array();
  for (const auto& p : changed) w.value(p);
  w.end_array().end_object();
  return "[" + w.take() + "]"; // one node's answer; a router gathers the arrays of every node
}

/// Runs the wire check of one phone through its passthrough; the report comes back as
/// (wire_check, id, report) from the Asio thread that finished it.
void start_wire_check(manager_actor* self, const phone_target& t, const models::model* m,
                      const std::vector<std::string>& acts, const actor_identity& who_asked, caf::response_promise rp) {
  auto& st = self->state;
  wire::check_options o;
  for (const auto& spec : acts) {
    std::string err;
    auto act = wire::parse_act(spec, err);
    if (!act) {
      rp.deliver(make_mpk_error(errc::bad_request, err));
      return;
    }
    o.acts.push_back(std::move(*act));
  }
  auto snap = st.opts.wire->current();
  o.catalog = st.opts.catalog;
  o.book = snap.book;
  o.product = m->product;
  o.device = t.device;
  o.version = t.version;
  o.via = "passthrough";
  wire::phone_link_options lo;
  lo.base_url = t.base_url;
  lo.timeout = st.opts.request_timeout;
  lo.tls = st.opts.tls;
  o.remembered = st.opts.wire->choices(m->product, t.version);
  auto id = st.next_check++;
  st.wire_checks.emplace(id, rp);
  MPK_INFO(who, "wire check of ", t.device, " (", m->product, ", ", acts.size(), " acts) by ", who_asked.sip);
  if (!acts.empty()) {
    // Acts press keys on the phone: they are phone operations like any other.
    std::string list;
    for (const auto& act : acts) list += (list.empty() ? "" : ", ") + act;
    append_audit(self, who_asked, t.device, t.hw_id, "wirecheck", session::printable("wire check, acts: " + list, 200),
                 true, "started");
  }
  auto me = caf::actor_cast<manager_internal_actor>(self);
  wire::run_wire_check(
    *st.opts.io, wire::phone_link::make(*st.opts.io, lo), std::move(o),
    [me, id](wire::check_report r) { caf::anon_send(me, atom::wire_check_v, id, std::move(r.json)); });
}

/// "Log Service Connections": each session of a phone in `scope` writes its line.
void log_sessions(manager_actor* self, const tenant_scope& scope) {
  std::size_t shown = 0;
  for (auto& [device, e] : self->state.devices)
    if (e.session && scope.covers(e.target.tenant)) {
      ++shown;
      self->send(e.session, atom::log_status_v);
    }
  MPK_INFO(who, shown, " phone sessions shown of ", self->state.devices.size(), ", ", self->state.watchers.size(),
           " watchers");
}

/// The status of the sessions of phones in `scope`, each asked (a silent one shows as unresponsive).
caf::result<std::string> sessions_status(manager_actor* self, const tenant_scope& scope) {
  auto& s = self->state;
  struct gather {
    std::vector<std::string> parts;
    std::size_t left = 0;
    caf::response_promise rp;
    void done() {
      std::string out = "[";
      for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "," : "") + parts[i];
      rp.deliver(out + "]");
    }
  };
  auto g = std::make_shared<gather>();
  g->rp = self->make_response_promise();
  for (auto& [device, e] : s.devices) {
    if (!scope.covers(e.target.tenant)) continue;
    if (!e.session) {
      g->parts.push_back(placeholder_status(device, "restarting", e.watchers.size()));
      continue;
    }
    ++g->left;
    auto dev = device;
    auto n = e.watchers.size();
    self->request(e.session, status_timeout, atom::status_v)
      .then(
        [g](std::string& part) {
          g->parts.push_back(std::move(part));
          if (--g->left == 0) g->done();
        },
        [g, dev, n](caf::error&) {
          g->parts.push_back(placeholder_status(dev, "unresponsive", n));
          if (--g->left == 0) g->done();
        });
  }
  if (g->left == 0) g->done();
  return g->rp;
}

// -- the actor ----------------------------------------------------------------------------

manager_internal_actor::behavior_type phone_manager(manager_actor* self, phone_options opts) {
  auto& st = self->state;
  if (!opts.io || !opts.catalog || !opts.registry) {
    MPK_ERROR(who, "cannot start: io runtime, catalog and registry are required");
    self->quit(session::make_text_error("phone manager misconfigured"));
    return manager_internal_actor::behavior_type::make_empty_behavior();
  }
  if (opts.tls.insecure) MPK_WARN(who, "TLS certificate verification towards the passthrough is OFF (lab switch)");
  if (!opts.wire)
    opts.wire = std::make_shared<session::wire_memory>(
      std::make_shared<const models::wire_book>(models::wire_book::built_in(*opts.catalog)), "");
  st.audit = std::make_unique<session::audit_log>(opts.audit_path,
                                                  session::audit_log::rotation{opts.audit_max_bytes, opts.audit_keep});
  if (!opts.key_labels) {
    opts.key_labels = std::make_shared<session::key_label_store>(opts.key_labels_path);
    std::string err;
    if (!opts.key_labels->load(err))
      MPK_ERROR(who, "function-key labels not loaded: ", err); // kept as they are until a label is set
  }
  st.opts = std::move(opts);
  self->set_error_handler([](caf::error& e) { MPK_WARN(who, "error message: ", session::error_text(e)); });
  self->set_down_handler([=](caf::down_msg& dm) {
    auto& s = self->state;
    if (auto it = s.session_of.find(dm.source); it != s.session_of.end()) {
      auto device = it->second;
      s.session_of.erase(it);
      auto d = s.devices.find(device);
      if (d != s.devices.end() && d->second.session && d->second.session.address() != dm.source)
        return; // an older session of a device that already has a new one
      return on_session_down(self, device, dm.reason);
    }
    if (auto it = s.watchers.find(dm.source); it != s.watchers.end()) {
      auto devices = it->second.devices;
      for (const auto& d : devices) remove_watcher(self, d, dm.source, true);
      s.watchers.erase(dm.source);
    }
  });
  MPK_INFO(who, "started (poll >= ", st.opts.min_interval.count(), " ms, grace ", st.opts.grace.count(), " ms)");
  return {
    [=](atom::watch, const std::string& device, std::vector<std::string>& tenants,
        const phone_watcher_actor& watcher) -> caf::result<phone_target> {
      if (device.empty() || !watcher) return session::make_text_error("watch needs a device id and a watcher");
      auto rp = self->make_response_promise();
      auto key = std::make_pair(device, watcher.address());
      auto id = self->state.next_watch++;
      self->state.pending_watches[key].insert(id);
      // True when no unwatch overtook this watch.
      auto settle = [=] {
        auto& st = self->state;
        if (auto p = st.pending_watches.find(key); p != st.pending_watches.end()) {
          p->second.erase(id);
          if (p->second.empty()) st.pending_watches.erase(p);
        }
        return st.overtaken_watches.erase(id) == 0;
      };
      with_target(
        self, device, std::move(tenants),
        [=](phone_target t, const models::model* m) mutable {
          if (settle()) {
            ensure_session(self, device, t, m);
            add_watcher(self, device, watcher);
          }
          rp.deliver(std::move(t));
        },
        [=](errc code, const std::string& text) mutable {
          settle();
          rp.deliver(make_mpk_error(code, text));
        });
      return rp;
    },
    [=](atom::unwatch, const std::string& device, const phone_watcher_actor& watcher) {
      if (!watcher) return;
      auto& st = self->state;
      if (auto p = st.pending_watches.find(std::make_pair(device, watcher.address())); p != st.pending_watches.end())
        st.overtaken_watches.insert(p->second.begin(), p->second.end());
      remove_watcher(self, device, watcher.address(), false);
    },
    [=](atom::frame_ack, const std::string& device, std::uint32_t seq, const phone_watcher_actor& watcher) {
      auto it = self->state.devices.find(device);
      if (it != self->state.devices.end() && it->second.session)
        self->send(it->second.session, atom::frame_ack_v, seq, watcher);
    },
    [=](atom::command, phone_command& cmd) -> caf::result<command_result> {
      auto rp = self->make_response_promise();
      if (cmd.device.empty()) {
        finish_command(self, rp, cmd, "", command_result{false, 0, "BAD_REQUEST", "command needs a device id"});
        return rp;
      }
      // Scope was checked by the gateway (registry target with the admin's tenants).
      with_target(
        self, cmd.device, {},
        [=](phone_target t, const models::model* m) mutable {
          ensure_session(self, cmd.device, t, m);
          run_on_session(self, rp, std::move(cmd), false);
        },
        [=](errc code, const std::string& text) mutable {
          finish_command(self, rp, cmd, "", command_result{false, 0, app_code_of(code), text});
        });
      return rp;
    },
    [=](atom::admin_http, const std::string& device, std::string& method, std::string& path,
        std::string& body) -> caf::result<relayed_http> {
      auto rp = self->make_response_promise();
      auto forward = [=](const phone_session_actor& session) mutable {
        self
          ->request(session, self->state.opts.request_timeout * 2 + std::chrono::seconds(2), atom::admin_http_v, method,
                    path, body)
          .then([=](relayed_http& r) mutable { rp.deliver(std::move(r)); },
                [=](caf::error& e) mutable {
                  rp.deliver(relayed_http{502, "text/plain; charset=utf-8", "phone session unavailable\n",
                                          session::error_text(e)});
                });
      };
      with_target(
        self, device, {},
        [=](phone_target t, const models::model* m) mutable { forward(ensure_session(self, device, t, m)); },
        [=](errc code, const std::string& text) mutable {
          auto status = code == errc::unavailable ? 503 : 404;
          rp.deliver(relayed_http{status, "text/plain; charset=utf-8", text + "\n", text});
        });
      return rp;
    },
    [=](atom::wire_reload) -> std::string { return reload_wire(self); },
    [=](atom::wire_check, const std::string& device, std::vector<std::string>& acts,
        const actor_identity& who) -> caf::result<std::string> {
      auto rp = self->make_response_promise();
      if (device.empty()) {
        rp.deliver(make_mpk_error(errc::bad_request, "WireCheck needs a device id"));
        return rp;
      }
      with_target(
        self, device, {},
        [=](phone_target t, const models::model* m) mutable {
          // As for keys: OFFLINE only when the Devices App says so; with its link down the state
          // is unknown and the check can be tried again shortly.
          if (!t.link_up)
            rp.deliver(make_mpk_error(errc::unavailable, "devices-api link down: state unknown"));
          else if (!t.online || t.base_url.empty())
            rp.deliver(make_mpk_error(errc::offline, "the phone is offline"));
          else
            start_wire_check(self, t, m, acts, who, rp);
        },
        [=](errc code, const std::string& text) mutable { rp.deliver(make_mpk_error(code, text)); });
      return rp;
    },
    [=](atom::wire_check, std::uint64_t id, std::string& report) {
      auto& checks = self->state.wire_checks;
      auto it = checks.find(id);
      if (it == checks.end()) return;
      it->second.deliver(std::move(report));
      checks.erase(it);
    },
    [=](atom::audit, const std::string& device, std::uint32_t limit) -> std::string {
      return self->state.audit->read(device, limit);
    },
    [=](atom::audit, const audit_note& n) -> bool {
      return append_audit(self, n.who, n.device, n.hw_id, n.kind, n.what, n.ok, n.result);
    },
    [=](atom::status) {
      return sessions_status(self, tenant_scope{true, {}});
    },
    // (status, scope): the sessions of those tenants' phones only
    [=](atom::status, const tenant_scope& scope) { return sessions_status(self, scope); },
    [=](atom::log_status) {
      log_sessions(self, tenant_scope{true, {}});
    },
    [=](atom::log_status, const tenant_scope& scope) { log_sessions(self, scope); },
    [=](atom::retry, const std::string& device, std::uint64_t epoch) {
      auto& s = self->state;
      auto it = s.devices.find(device);
      if (it == s.devices.end() || it->second.session || it->second.respawn_epoch != epoch || s.draining) return;
      if (it->second.watchers.empty()) {
        s.devices.erase(it); // nobody waits for it; the next operation spawns a session anew
        return;
      }
      MPK_INFO(who, "respawning the session of ", device);
      spawn_session(self, device, it->second);
    },
    [=](atom::drain) {
      auto& s = self->state;
      s.draining = true;
      for (auto& [device, e] : s.devices)
        if (e.session) self->send(e.session, atom::drain_v);
      self->quit();
    },
  };
}

} // namespace

phone_manager_node_actor spawn_phone_manager(caf::actor_system& sys, phone_options opts) {
  return sys.spawn(phone_manager, std::move(opts));
}

} // namespace mpk
