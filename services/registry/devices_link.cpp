// The devices_link actor: a `become` FSM per connection attempt
//   down ─retry─▶ connecting ─ws_open─▶ challenging ─challenge─▶ logging-in ─ok─▶ loading ─snapshot─▶ up
// with waiting-pbx when no PBX link can issue the service login, and every failure back to down
// (reported to the registry, which marks the link's devices stale) and a jittered backoff.

#include "services/registry/devices_link.hpp"

#include "common/actors/atoms.hpp"
#include "common/base/log.hpp"
#include "common/net/cert_text.hpp"
#include "common/net/client.hpp"
#include "services/registry/backoff.hpp"
#include "services/registry/devices_sync.hpp"
#include "services/registry/login_frames.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>

#include <optional>
#include <random>

namespace mpk::registry {

namespace {

using namespace std::chrono_literals;
constexpr auto svc_login_timeout = 10s;
/// An instance may ignore a request it does not know (GetUserInfo on 13r1): then try the next.
constexpr auto user_info_timeout = 5s;

/// Forwards one connection's callbacks tagged with its generation, so that a late frame or
/// close of an earlier connection is told apart from the current one after a reconnect.
class link_bridge final : public net::connection_handler {
public:
  link_bridge(caf::actor owner, std::uint64_t gen) : owner_(std::move(owner)), gen_(gen) {}
  void on_open(const net::connection_ptr& c) override { caf::anon_send(owner_, atom::ws_open_v, c, gen_); }
  void on_message(std::string data, bool binary) override {
    if (!binary) caf::anon_send(owner_, atom::ws_text_v, std::move(data), gen_);
  }
  void on_close(std::string reason) override {
    caf::anon_send(owner_, atom::ws_closed_v, std::move(reason), gen_);
    owner_ = nullptr; // no cycle once the connection is gone
  }

private:
  caf::actor owner_;
  std::uint64_t gen_;
};

enum class phase { down, waiting_pbx, connecting, challenging, logging_in, loading, live };

struct devices_link_state {
  devices_link_options opts;
  std::optional<backoff> delays;
  phase at = phase::down;
  net::connection_ptr conn;
  std::uint64_t gen = 0;      ///< connection generation (link_bridge tag)
  std::uint64_t epoch = 0;    ///< retry tick generation: delayed_send cannot be cancelled
  std::uint64_t watchdog = 0; ///< phase watchdog generation
  std::chrono::steady_clock::time_point last_activity{};
  std::string challenge;
  std::optional<devices_sync> sync;
  std::string last_ignored; ///< why the last frame of this connection was ignored (for the failure text)
  bool flush_scheduled = false;
  std::string who;

  static inline const char* name = "devices_link";

  ~devices_link_state() {
    if (conn) conn->close(1000, "devices link stopped");
  }
};

using link_actor = caf::stateful_actor<devices_link_state>*;

caf::behavior down_state(link_actor self);
caf::behavior connecting_state(link_actor self);
caf::behavior challenging_state(link_actor self);
caf::behavior logging_in_state(link_actor self);
caf::behavior syncing_state(link_actor self);

// -- helpers -------------------------------------------------------------------------------

void trace_frame(const devices_link_state& st, const char* dir, std::string_view frame) {
  if (!log::trace_enabled(log::category::appws)) return;
  constexpr std::size_t max = 2048;
  if (frame.size() <= max)
    MPK_TRACE(appws, st.who, dir, " ", log::mask_secrets(frame));
  else
    MPK_TRACE(appws, st.who, dir, " ", log::mask_secrets(frame.substr(0, max)), "… (", frame.size(), " bytes)");
}

void send_frame(link_actor self, std::string frame) {
  auto& st = self->state;
  if (!st.conn) return;
  trace_frame(st, "out", frame);
  st.conn->send_text(std::move(frame));
}

/// Tells the registry; the link stops when its registry is gone.
void tell(link_actor self, link_update u) {
  auto reg = caf::actor_cast<caf::actor>(self->state.opts.registry);
  if (!reg) return self->quit(caf::exit_reason::user_shutdown);
  self->send(reg, atom::link_event_v, std::move(u));
}

void report(link_actor self, link_state state, std::string detail = {}) {
  auto& st = self->state;
  link_update u;
  u.link = st.opts.id;
  u.tenant = st.opts.tenant;
  u.kind = link_update_kind::state;
  u.state = state;
  u.detail = std::move(detail);
  u.url = st.opts.url;
  if (st.sync) {
    u.passthrough_base = st.sync->passthrough_base();
    u.key = st.sync->key();
    u.admin = st.sync->admin();
  }
  MPK_TRACE(link, st.who, to_string(state), u.detail.empty() ? "" : ": ", u.detail);
  tell(self, std::move(u));
}

/// What the session had got so far when it failed, for the status: a list that stopped half way
/// or frames that were not understood explain a failure better than "no answer".
std::string progress_note(const devices_link_state& st) {
  std::string note;
  if (st.sync && st.sync->current() == devices_sync::phase::devices)
    note = " while loading the device list (" + std::to_string(st.sync->devices_loaded()) +
           " devices received, no last chunk; nothing applied)";
  if (!st.last_ignored.empty()) note += " (last frame ignored: " + st.last_ignored + ")";
  return note;
}

void drop_connection(link_actor self, const char* why) {
  auto& st = self->state;
  ++st.gen; // whatever the old connection still delivers is ignored from now on
  if (st.conn) st.conn->close(1000, why);
  st.conn.reset();
  st.sync.reset();
  st.last_ignored.clear();
  st.challenge.clear();
  st.flush_scheduled = false;
}

void schedule_retry(link_actor self, std::chrono::milliseconds delay) {
  auto& st = self->state;
  self->delayed_send(self, delay, atom::retry_v, ++st.epoch);
}

/// Every failure ends here: report, drop the socket, come back after the backoff.
void fail(link_actor self, const std::string& reason, link_state state = link_state::down) {
  auto& st = self->state;
  drop_connection(self, "devices link restarts");
  st.at = phase::down;
  auto delay = st.delays->next();
  MPK_WARN(st.who, to_string(state), ": ", reason, "; retry in ", delay.count(), " ms");
  report(self, state, reason);
  schedule_retry(self, delay);
  self->become(down_state(self));
}

void arm_watchdog(link_actor self, std::chrono::milliseconds after) {
  self->delayed_send(self, after, atom::tick_v, self->state.watchdog);
}

void start_connect(link_actor self) {
  auto& st = self->state;
  ++st.epoch; // a pending retry tick is obsolete now
  if (!st.opts.pbx) {
    st.at = phase::waiting_pbx;
    report(self, link_state::waiting_pbx, "no PBX link of the tenant is up to issue the service login");
    self->become(down_state(self));
    return;
  }
  drop_connection(self, "reconnecting");
  st.at = phase::connecting;
  st.last_activity = std::chrono::steady_clock::now();
  ++st.watchdog;
  arm_watchdog(self, st.opts.phase_timeout);
  report(self, link_state::connecting);
  net::client_options co;
  co.url = st.opts.url;
  co.tls = st.opts.tls;
  co.limits.max_message_bytes = 16u << 20; // one chunk of a big device list
  self->become(connecting_state(self));
  net::connect(*st.opts.io, std::move(co), std::make_shared<link_bridge>(caf::actor{self}, st.gen));
}

/// True (and the activity clock advanced) when the frame belongs to the current connection.
bool current(link_actor self, std::uint64_t gen) {
  auto& st = self->state;
  if (gen != st.gen) return false;
  st.last_activity = std::chrono::steady_clock::now();
  return true;
}

// -- handlers every state shares -----------------------------------------------------------

caf::message_handler common(link_actor self) {
  return {
    [=](atom::ws_open, const net::connection_ptr& c, std::uint64_t gen) {
      if (gen != self->state.gen) c->close(1000, "superseded"); // an attempt we gave up on
    },
    [=](atom::ws_text, const std::string&, std::uint64_t) {
      // Frames of an earlier connection, or none expected in this state.
    },
    [=](atom::ws_closed, const std::string& reason, std::uint64_t gen) {
      if (gen != self->state.gen) return;
      self->state.conn.reset();
      // A refused certificate is its own state with the operator's words (subject, fingerprint):
      // trusting the CA or pinning the fingerprint is what helps, not waiting.
      if (!net::fingerprint_in(reason).empty()) return fail(self, reason, link_state::untrusted);
      fail(self, "connection closed: " + reason + progress_note(self->state));
    },
    [=](atom::retry, std::uint64_t epoch) {
      if (epoch == self->state.epoch) start_connect(self);
    },
    [=](atom::tick, std::uint64_t watchdog) {
      auto& st = self->state;
      if (watchdog != st.watchdog) return;
      if (st.at == phase::down || st.at == phase::waiting_pbx || st.at == phase::live) return;
      auto idle = std::chrono::steady_clock::now() - st.last_activity;
      if (idle >= st.opts.phase_timeout)
        return fail(self, "no answer from the Devices instance within " +
                            std::to_string(st.opts.phase_timeout.count()) + " ms" + progress_note(st));
      arm_watchdog(self, std::chrono::duration_cast<std::chrono::milliseconds>(st.opts.phase_timeout - idle) + 1ms);
    },
    [=](atom::tick, std::uint64_t, const std::string&) {
      // An answer timer of a session that is over.
    },
    [=](atom::tick) {
      // Pushes are merged until the mailbox is drained: one delta per burst, not per frame.
      auto& st = self->state;
      st.flush_scheduled = false;
      if (st.sync && st.sync->has_delta()) tell(self, st.sync->take_delta());
    },
    [=](atom::pbx_up, const pbx_info& info, const pbx_link_actor& pbx) {
      auto& st = self->state;
      st.opts.pbx = pbx;
      for (const auto& s : info.services) {
        if (s.name != st.opts.service || s.url.empty() || s.url == st.opts.url) continue;
        MPK_INFO(st.who, "service URL changed to ", s.url);
        st.opts.url = s.url;
        if (st.at != phase::down && st.at != phase::waiting_pbx) {
          st.delays->reset();
          drop_connection(self, "service URL changed");
          st.at = phase::down;
          report(self, link_state::down, "service URL changed");
          schedule_retry(self, 0ms);
          self->become(down_state(self));
          return;
        }
      }
      if (st.at == phase::waiting_pbx) start_connect(self);
    },
    [=](atom::pbx_down, const std::string&, const pbx_link_actor& pbx) {
      // The websocket stays usable; only a new login has to wait for the next pbx_up.
      if (self->state.opts.pbx == pbx) self->state.opts.pbx = nullptr;
    },
  };
}

// -- states -------------------------------------------------------------------------------

caf::behavior down_state(link_actor self) { return common(self); }

caf::behavior connecting_state(link_actor self) {
  caf::message_handler h{
    [=](atom::ws_open, const net::connection_ptr& c, std::uint64_t gen) {
      if (!current(self, gen)) return (void)c->close(1000, "superseded");
      auto& st = self->state;
      st.conn = c;
      st.at = phase::challenging;
      send_frame(self, app_challenge_frame("challenge"));
      self->become(challenging_state(self));
    },
  };
  return h.or_else(common(self));
}

void request_service_login(link_actor self) {
  auto& st = self->state;
  st.at = phase::logging_in;
  report(self, link_state::logging_in);
  self->become(logging_in_state(self));
  auto gen = st.gen;
  self->request(st.opts.pbx, svc_login_timeout, atom::svc_login_v, st.opts.service, st.challenge)
    .then(
      [=](service_login& login) {
        auto& st = self->state;
        if (gen != st.gen || st.at != phase::logging_in) return;
        if (!login.error.empty())
          return fail(self, "the PBX refused the service login: " + login.error, link_state::login_failed);
        auto frame = app_login_frame(login, "login");
        if (!frame)
          return fail(self, "the PBX's service login carries an invalid info object", link_state::login_failed);
        send_frame(self, std::move(*frame));
      },
      [=](const caf::error& err) {
        auto& st = self->state;
        if (gen != st.gen || st.at != phase::logging_in) return;
        fail(self, "no service login from the PBX link: " + self->system().render(err), link_state::login_failed);
      });
}

caf::behavior challenging_state(link_actor self) {
  caf::message_handler h{
    [=](atom::ws_text, const std::string& frame, std::uint64_t gen) {
      if (!current(self, gen)) return;
      auto& st = self->state;
      trace_frame(st, "in", frame);
      auto reply = read_login_reply(frame);
      if (reply.what != login_reply::challenge) {
        MPK_WARN(st.who, "ignored while waiting for the challenge: ", reply.text);
        return;
      }
      st.challenge = std::move(reply.text);
      if (!st.opts.pbx) {
        // No PBX link to compute the login: wait for the next pbx_up without a socket.
        drop_connection(self, "waiting for the PBX");
        st.at = phase::waiting_pbx;
        report(self, link_state::waiting_pbx, "no PBX link of the tenant is up to issue the service login");
        self->become(down_state(self));
        return;
      }
      request_service_login(self);
    },
  };
  return h.or_else(common(self));
}

caf::behavior logging_in_state(link_actor self) {
  caf::message_handler h{
    [=](atom::ws_text, const std::string& frame, std::uint64_t gen) {
      if (!current(self, gen)) return;
      auto& st = self->state;
      trace_frame(st, "in", frame);
      auto reply = read_login_reply(frame);
      if (reply.what == login_reply::login_failed) return fail(self, reply.text, link_state::login_failed);
      if (reply.what != login_reply::login_ok) {
        MPK_WARN(st.who, "ignored while logging in: ", reply.text);
        return;
      }
      st.sync.emplace(st.opts.id, st.opts.tenant, st.opts.url);
      st.at = phase::loading;
      report(self, link_state::loading);
      self->become(syncing_state(self));
      send_frame(self, st.sync->start());
      self->delayed_send(self, user_info_timeout, atom::tick_v, st.gen, std::string("user-info"));
    },
  };
  return h.or_else(common(self));
}

caf::behavior syncing_state(link_actor self) {
  caf::message_handler h{
    [=](atom::tick, std::uint64_t gen, const std::string& what) {
      // The answer timer of GetUserInfo ("user-info") or GetLoginInfo ("login-info").
      auto& st = self->state;
      if (gen != st.gen || !st.sync) return;
      auto p = st.sync->current();
      if (!(what == "user-info" && p == devices_sync::phase::user_info) &&
          !(what == "login-info" && p == devices_sync::phase::login_info))
        return;
      MPK_WARN(st.who, "no answer to ", what == "user-info" ? "GetUserInfo" : "GetLoginInfo", ": going on without it");
      auto r = st.sync->on_no_answer();
      for (auto& f : r.send) send_frame(self, std::move(f));
      if (st.sync->current() == devices_sync::phase::login_info)
        self->delayed_send(self, user_info_timeout, atom::tick_v, st.gen, std::string("login-info"));
    },
    [=](atom::ws_text, const std::string& frame, std::uint64_t gen) {
      if (!current(self, gen)) return;
      auto& st = self->state;
      if (!st.sync) return;
      trace_frame(st, "in", frame);
      auto before = st.sync->current();
      auto r = st.sync->on_frame(frame);
      if (before == devices_sync::phase::user_info && st.sync->current() == devices_sync::phase::login_info)
        self->delayed_send(self, user_info_timeout, atom::tick_v, st.gen, std::string("login-info"));
      if (!r.ignored.empty()) {
        MPK_TRACE(link, st.who, "frame ignored: ", r.ignored);
        st.last_ignored = r.ignored;
      }
      if (!r.fatal.empty()) return fail(self, r.fatal);
      for (auto& f : r.send) send_frame(self, std::move(f));
      if (r.snapshot_ready) {
        st.at = phase::live;
        st.delays->reset();
        auto snap = st.sync->take_snapshot();
        MPK_INFO(st.who, "up: ", snap.devices.size(), " devices in ", snap.domains.size(), " domains",
                 snap.admin ? " (admin)" : "");
        tell(self, std::move(snap));
      }
      if (st.at == phase::live && st.sync->has_delta() && !st.flush_scheduled) {
        st.flush_scheduled = true;
        self->send(self, atom::tick_v);
      }
    },
  };
  return h.or_else(common(self));
}

caf::behavior devices_link_actor(link_actor self, devices_link_options opts) {
  auto& st = self->state;
  st.who = "devices_link " + opts.id;
  std::string invalid;
  if (!opts.io)
    invalid = "no network runtime";
  else if (opts.url.empty())
    invalid = "no service URL";
  else if (!opts.registry)
    invalid = "no registry";
  if (!invalid.empty()) {
    MPK_ERROR(st.who, "cannot start: ", invalid);
    self->quit(caf::make_error(caf::sec::invalid_argument, invalid));
    return {};
  }
  std::random_device rd;
  st.delays.emplace(opts.backoff_min, opts.backoff_max, (std::uint64_t{rd()} << 32) ^ rd());
  st.opts = std::move(opts);
  self->send(self, atom::retry_v, st.epoch); // kick off: connect
  return down_state(self);
}

} // namespace

caf::actor spawn_devices_link(caf::actor_system& sys, devices_link_options opts) {
  return sys.spawn(devices_link_actor, std::move(opts));
}

} // namespace mpk::registry
