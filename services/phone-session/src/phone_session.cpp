// phone_session: FSM, watchers and phone operations. The polling loops are in session_loop.cpp.

#include "services/phone-session/src/phone_session.hpp"

#include "common/actors/errors.hpp"
#include "common/actors/monitor_while_alive.hpp"
#include "common/base/log.hpp"
#include "common/json/writer.hpp"
#include "common/models/catalog.hpp"
#include "common/base/redact.hpp"
#include "services/phone-session/src/caf_errors.hpp"
#include "services/phone-session/src/command_plan.hpp"
#include "services/phone-session/src/session_ops.hpp"
#include "services/phone-session/src/wire_memory.hpp"
#include "common/models/wire_template.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/message_handler.hpp>
#include <caf/sec.hpp>

#include <variant>

namespace mpk::session {

namespace {

constexpr std::size_t max_command_answer = 1 << 20;
constexpr std::size_t max_admin_answer = 4 << 20;

caf::behavior reachable_behavior(session_actor* self);
caf::behavior offline_behavior(session_actor* self);
caf::behavior enter_connecting(session_actor* self);

command_args args_of(const phone_command& c) { return command_args{c.kind, c.name, c.arg, c.x, c.y, c.hold_ms}; }

/// Plan a command or refuse it; refusals never reach the phone. Keys, touches and text go out
/// in the candidate form the session uses for that entry now.
std::variant<command_plan, command_refusal> plan(session_actor* self, const phone_command& cmd) {
  auto& st = self->state;
  auto entry = searched_entry(cmd.kind);
  return plan_command(*st.cfg.opts.catalog, *st.cfg.model, st.forms.spec(),
                      entry.empty() ? nullptr : st.forms.candidate(entry), args_of(cmd));
}

void arm_grace(session_actor* self) {
  auto& st = self->state;
  auto epoch = ++st.grace_epoch;
  self->delayed_send(self, st.cfg.opts.grace, atom::drain_v, epoch);
}

void quit_normally(session_actor* self) {
  auto& st = self->state;
  MPK_INFO(st.who, "stopping (no watcher left)");
  if (st.cfg.opts.registry) self->send(st.cfg.opts.registry, atom::unwatch_tgt_v, st.cfg.device);
  self->quit();
}

// -- watchers ------------------------------------------------------------------------

void attach(session_actor* self, const phone_watcher_actor& w) {
  auto& st = self->state;
  if (!w || st.ids.count(w.address())) return;
  auto id = st.next_watcher++;
  st.ids.emplace(w.address(), id);
  st.watchers.emplace(id, w);
  ++st.grace_epoch; // cancels a pending grace check
  self->send(w, phone_event{st.cfg.device, "PhoneState", phone_state_json(st.shown, st.reason)});
  if (!st.regs_json.empty()) self->send(w, phone_event{st.cfg.device, "Registrations", st.regs_json});
  send_key_states(self, w);
  send_frames(self, st.pacer.add(id));
  MPK_INFO(st.who, "watcher ", caf::to_string(w.address()), " attached (", st.watchers.size(), " now)");
  if (st.phase != session_phase::offline) {
    speed_up_polling(self); // someone new looks: follow the screen closely again
    schedule_poll(self);
    start_reads(self, false);
  }
}

void detach(session_actor* self, const caf::actor_addr& addr) {
  auto& st = self->state;
  auto it = st.ids.find(addr);
  if (it == st.ids.end()) return;
  st.pacer.remove(it->second);
  st.watchers.erase(it->second);
  st.ids.erase(it);
  MPK_INFO(st.who, "watcher ", caf::to_string(addr), " detached (", st.watchers.size(), " left)");
  if (st.watchers.empty()) arm_grace(self);
}

// -- operations ------------------------------------------------------------------------

/// Sends a planned command; a key, touch or text whose form is not known yet goes out as the
/// candidate being tried, and its answer decides (finish_request).
void send_command(session_actor* self, caf::response_promise rp, const phone_command& cmd, const command_plan& p) {
  auto& st = self->state;
  auto id = st.next_request++;
  pending_request pr;
  pr.promise = rp;
  pr.refresh_lcd = p.refresh_lcd;
  auto entry = searched_entry(cmd.kind);
  if (!entry.empty() && !st.forms.known(entry)) {
    pr.entry = entry;
    pr.candidate = st.forms.current(entry);
    pr.wire_gen = st.wire_gen;
    pr.cmd = cmd;
    pr.lcd_before = std::string(st.last_dump.bytes());
    st.searching.insert(entry);
  }
  st.pending.emplace(id, std::move(pr));
  passthrough_fetch(self, "GET", p.path, "", max_command_answer, atom::command_v, id);
}

caf::result<command_result> run_command(session_actor* self, const phone_command& cmd) {
  auto& st = self->state;
  auto entry = searched_entry(cmd.kind);
  if (!entry.empty() && st.searching.count(entry)) {
    // Its form is being found right now: wait for the outcome rather than guess twice.
    auto rp = self->make_response_promise();
    st.waiting[entry].push_back(queued_command{cmd, rp});
    return rp;
  }
  auto p = plan(self, cmd);
  if (auto* r = std::get_if<command_refusal>(&p)) return command_result{false, 0, r->code, r->text};
  auto rp = self->make_response_promise();
  send_command(self, rp, cmd, std::get<command_plan>(p));
  return rp;
}

/// The search of an entry ended: the commands that waited for it go now (or get its refusal).
void release_waiting(session_actor* self, const std::string& entry, const command_result* refusal) {
  auto& st = self->state;
  st.searching.erase(entry);
  auto it = st.waiting.find(entry);
  if (it == st.waiting.end()) return;
  auto queued = std::move(it->second);
  st.waiting.erase(it);
  for (auto& q : queued) {
    if (refusal) {
      q.promise.deliver(*refusal);
      continue;
    }
    auto p = plan(self, q.cmd);
    if (auto* r = std::get_if<command_refusal>(&p))
      q.promise.deliver(command_result{false, 0, r->code, r->text});
    else if (st.searching.count(entry))
      st.waiting[entry].push_back(std::move(q)); // the first of them started a new round
    else
      send_command(self, q.promise, q.cmd, std::get<command_plan>(p));
  }
}

void deliver_command(session_actor* self, pending_request& p, relayed_http& r) {
  auto& st = self->state;
  bool answered = r.status != 0;
  command_result res;
  res.status = r.status;
  if (answered && success_status(r.status)) {
    res.ok = true;
    res.text = output_text(r.body);
    if (p.refresh_lcd && !st.watchers.empty()) {
      st.refresh_wanted = true; // show the effect of a key press at once
      speed_up_polling(self);   // and follow the screen closely while it reacts
      schedule_poll(self);
    }
  } else {
    auto f = classify_failure(answered, r.status, r.body, r.error);
    res.error = f.code;
    res.text = f.reason;
  }
  p.promise.deliver(std::move(res));
}

/// The answer to a command sent with a candidate still being tried. `lcd_changed`: the screen
/// changed since it was sent (checked after an answer with an error in it).
void judge_command(session_actor* self, pending_request p, relayed_http r, bool lcd_changed) {
  auto& st = self->state;
  const auto* c = st.forms.spec().candidate(p.entry, p.candidate);
  auto j = wire::judge(p.entry, *c, answer_of(r));
  if (j.v == wire::verdict::not_this_form && lcd_changed) {
    j.v = wire::verdict::works;
    j.why += "; the LCD changed afterwards";
  }
  switch (st.forms.record(p.entry, p.candidate, j, r.status)) {
    case wire_forms::outcome::chosen:
      remember_form(self, p.entry, p.candidate);
      if (!success_status(r.status)) r.status = 200; // it worked by its effect on the screen
      deliver_command(self, p, r);
      return release_waiting(self, p.entry, nullptr);
    case wire_forms::outcome::wait: deliver_command(self, p, r); return release_waiting(self, p.entry, nullptr);
    case wire_forms::outcome::next: {
      MPK_INFO(st.who, p.entry, " form #", p.candidate, " ", c->form, " not spoken here: ", j.why, "; trying the next");
      auto plan_next = plan(self, p.cmd);
      if (auto* refusal = std::get_if<command_refusal>(&plan_next)) {
        p.promise.deliver(command_result{false, 0, refusal->code, refusal->text});
        return release_waiting(self, p.entry, nullptr);
      }
      return send_command(self, p.promise, p.cmd, std::get<command_plan>(plan_next));
    }
    case wire_forms::outcome::exhausted: {
      auto why = st.forms.exhausted_reason(p.entry);
      MPK_WARN(st.who, why);
      command_result res{false, r.status, "PHONE_ERROR", why};
      p.promise.deliver(res);
      return release_waiting(self, p.entry, &res);
    }
  }
}

/// The pending request `id`, taken out of the table; nullopt when it is gone (answered already).
std::optional<pending_request> take_pending(session_actor* self, std::uint64_t id) {
  auto& pending = self->state.pending;
  auto it = pending.find(id);
  if (it == pending.end()) return std::nullopt;
  auto p = std::move(it->second);
  pending.erase(it);
  return p;
}

void finish_request(session_actor* self, std::uint64_t id, relayed_http r) {
  auto& st = self->state;
  auto taken = take_pending(self, id);
  if (!taken) return;
  auto& p = *taken;
  bool answered = r.status != 0;
  if (!p.is_command) {
    if (!answered) {
      auto f = classify_failure(false, 0, "", r.error);
      r.status = f.code == "TIMEOUT" ? 504 : 502;
      r.error = f.reason;
    }
    p.promise.deliver(std::move(r));
    return;
  }
  if (p.entry.empty()) return deliver_command(self, p, r);
  if (p.wire_gen != st.wire_gen) {
    // The wire data was reloaded meanwhile: this answer belongs to candidates of the old data.
    deliver_command(self, p, r);
    return release_waiting(self, p.entry, nullptr);
  }
  // An answer with an error in it may still have pressed the key: look at the screen.
  if (answered && success_status(r.status) && wire::reports_error(r.body) && !p.lcd_before.empty() &&
      st.forms.known("lcd")) {
    p.answer = std::move(r);
    auto settle = std::min<caf::timespan>(std::chrono::milliseconds(500), st.cfg.opts.request_timeout);
    st.pending.emplace(id, std::move(p));
    self->delayed_send(self, settle, atom::command_v, id, atom::poll_v);
    return;
  }
  judge_command(self, std::move(p), std::move(r), false);
}

/// The settle time after an odd answer is over: one LCD dump to compare with the one before.
void check_screen_after(session_actor* self, std::uint64_t id) {
  auto& st = self->state;
  if (!st.pending.count(id)) return;
  passthrough_fetch(self, "GET", form_path(*st.forms.candidate("lcd")), "", std::size_t(8) << 20, atom::command_v, id,
                    atom::poll_v);
}

void on_screen_after(session_actor* self, std::uint64_t id, const relayed_http& dump) {
  auto taken = take_pending(self, id);
  if (!taken) return;
  auto& p = *taken;
  bool changed = dump.status == 200 && !dump.body.empty() && dump.body != p.lcd_before;
  auto answer = std::move(p.answer);
  judge_command(self, std::move(p), std::move(answer), changed);
}

std::string status_json(session_actor* self) {
  auto& st = self->state;
  json::json_writer w;
  w.begin_object()
    .member("device", st.cfg.device)
    .member("state", to_string(st.shown))
    .member("watchers", st.watchers.size())
    .member("frames", st.pacer.frames_sent())
    .member("polls", st.polls)
    .member("pollGapMs", std::chrono::duration_cast<std::chrono::milliseconds>(st.poll_gap).count())
    .member("lastError", log::without_secrets(st.last_error))
    .end_object();
  return w.take();
}

// -- behaviors ---------------------------------------------------------------------------

/// Handlers every state has.
caf::message_handler common_handlers(session_actor* self) {
  return {
    [=](atom::watch, const phone_watcher_actor& w) { attach(self, w); },
    [=](atom::unwatch, const phone_watcher_actor& w) { detach(self, w.address()); },
    [=](atom::frame_ack, std::uint32_t seq, const phone_watcher_actor& w) {
      auto& st = self->state;
      auto it = st.ids.find(w.address());
      if (it == st.ids.end()) return;
      send_frames(self, st.pacer.ack(it->second, seq));
      schedule_poll(self);
    },
    [=](atom::frame_ack, std::uint64_t epoch) { on_ack_check(self, epoch); },
    [=](phone_target& t) { apply_target(self, std::move(t)); },
    [=](atom::poll, std::uint64_t gen, std::uint64_t candidate, relayed_http& r) {
      on_poll_result(self, gen, candidate, std::move(r));
    },
    [=](atom::tick, const std::string& entry, std::uint64_t epoch) { on_read_tick(self, entry, epoch); },
    [=](atom::tick, const std::string& entry, std::uint64_t gen, std::uint64_t candidate, relayed_http& r) {
      on_read_result(self, entry, gen, candidate, std::move(r));
    },
    [=](atom::command, std::uint64_t id, relayed_http& r) { finish_request(self, id, std::move(r)); },
    [=](atom::command, std::uint64_t id, atom::poll) { check_screen_after(self, id); },
    [=](atom::command, std::uint64_t id, atom::poll, relayed_http& r) { on_screen_after(self, id, r); },
    [=](atom::wire_reload) {
      auto& st = self->state;
      load_wire(self);
      MPK_INFO(st.who, "wire data reloaded: searching the forms again");
      if (st.phase != session_phase::offline) self->become(enter_connecting(self));
    },
    [=](atom::admin_http, std::uint64_t id, relayed_http& r) { finish_request(self, id, std::move(r)); },
    [=](atom::drain, std::uint64_t epoch) {
      auto& st = self->state;
      if (epoch != st.grace_epoch || !st.watchers.empty()) return;
      if (!st.pending.empty()) return arm_grace(self); // let running operations answer first
      quit_normally(self);
    },
    [=](atom::drain) { self->quit(); },
    [=](atom::status) -> std::string { return status_json(self); },
    [=](atom::log_status) {
      auto& st = self->state;
      MPK_INFO(st.who, "state=", to_string(st.shown), " watchers=", st.watchers.size(),
               " frames=", st.pacer.frames_sent(), " polls=", st.polls, " seq=", st.pacer.seq(),
               " lastError=", st.last_error.empty() ? std::string("-") : st.last_error);
    },
  };
}

/// connecting and online: the link is usable.
caf::behavior reachable_behavior(session_actor* self) {
  caf::message_handler own{
    [=](atom::poll, std::uint64_t epoch) { on_poll_tick(self, epoch); },
    [=](atom::command, const phone_command& cmd) -> caf::result<command_result> {
      if (cmd.kind == command_kind::labels) return set_key_labels(self, cmd);
      return run_command(self, cmd);
    },
    [=](atom::admin_http, std::string& method, std::string& path, std::string& body) -> caf::result<relayed_http> {
      std::string err;
      if (!admin_request_ok(method, path, err))
        return relayed_http{400, "text/plain; charset=utf-8", err + "\n", "BAD_REQUEST"};
      auto& st = self->state;
      auto id = st.next_request++;
      auto rp = self->make_response_promise();
      pending_request pr;
      pr.promise = rp;
      pr.is_command = false;
      st.pending.emplace(id, std::move(pr));
      passthrough_fetch(self, std::move(method), path, std::move(body), max_admin_answer, atom::admin_http_v, id);
      return rp;
    },
  };
  return own.or_else(common_handlers(self));
}

/// offline: the phone or its devices-api link is down. Nothing is sent to the phone.
caf::behavior offline_behavior(session_actor* self) {
  caf::message_handler own{
    [=](atom::poll, std::uint64_t) { /* a tick of the time before: no polling while offline */ },
    [=](atom::command, const phone_command& cmd) -> command_result {
      if (cmd.kind == command_kind::labels) return set_key_labels(self, cmd); // the app's labels need no phone
      auto p = plan(self, cmd);
      if (auto* r = std::get_if<command_refusal>(&p)) return command_result{false, 0, r->code, r->text};
      auto& st = self->state;
      // Stale: the Devices App said nothing (its link is down, or the registry is loading the
      // list), so the phone may well be up; OFFLINE is only what the Devices App reports.
      if (st.shown == phone_state::stale) return command_result{false, 0, app_code_of(errc::unavailable), st.reason};
      return command_result{false, 0, app_code_of(errc::offline),
                            st.reason.empty() ? std::string("the phone is offline") : st.reason};
    },
    [=](atom::admin_http, const std::string&, const std::string&, const std::string&) {
      auto& st = self->state;
      return relayed_http{503, "text/plain; charset=utf-8", "the phone is offline\n",
                          st.reason.empty() ? std::string("the phone is offline") : st.reason};
    },
  };
  return own.or_else(common_handlers(self));
}

/// Switches to connecting: a usable link (new, or back). Everyone gets a full frame next.
caf::behavior enter_connecting(session_actor* self) {
  auto& st = self->state;
  st.phase = session_phase::connecting;
  ++st.link_gen;
  st.poll_in_flight = false;
  st.poll_timer = false;
  ++st.poll_epoch;
  st.failures = 0;
  st.registry_asked = false;
  st.last_dump.forget();
  st.pacer.reset();
  broadcast_state(self, phone_state::connecting, "");
  schedule_poll(self);
  start_reads(self, true);
  return reachable_behavior(self);
}

caf::behavior enter_offline(session_actor* self, phone_state shown, std::string reason) {
  auto& st = self->state;
  st.phase = session_phase::offline;
  ++st.link_gen; // answers still on their way belong to the old link
  st.poll_in_flight = false;
  st.poll_timer = false;
  ++st.poll_epoch;
  stop_reads(self);
  st.refresh_wanted = false;
  broadcast_state(self, shown, std::move(reason));
  return offline_behavior(self);
}

/// The offline reason shown to watchers, and whether the state is merely "stale".
std::pair<phone_state, std::string> unreachable_reason(const phone_target& t) {
  if (t.gone) return {phone_state::offline, "the Devices App no longer lists this device"};
  // Not in the registry's model yet: it restarted and its devices-api links are loading again.
  if (t.hw_id.empty() && t.product.empty())
    return {phone_state::stale, "the device registry is loading the device list: state unknown"};
  if (!t.link_up || t.base_url.empty()) return {phone_state::stale, "devices-api link down: state unknown"};
  return {phone_state::offline, "phone offline"};
}

/// Initial behavior from the first target.
caf::behavior start(session_actor* self) {
  auto& st = self->state;
  if (!reachable(st.target)) {
    auto [s, why] = unreachable_reason(st.target);
    return enter_offline(self, s, why);
  }
  return enter_connecting(self);
}

} // namespace

// -- shared steps ---------------------------------------------------------------------------

bool reachable(const phone_target& t) { return t.online && t.link_up && !t.base_url.empty(); }

void load_wire(session_actor* self) {
  auto& st = self->state;
  auto snap = st.cfg.opts.wire->current();
  auto spec = snap.book ? snap.book->find(st.cfg.model->product) : nullptr;
  if (!spec) spec = std::make_shared<const models::wire_spec>(st.cfg.model->wire);
  st.wire_gen = snap.gen;
  st.forms = wire_forms(spec, st.cfg.opts.wire->choices(st.cfg.model->product, st.target.version));
  reset_reads(self);
}

std::string form_path(const models::wire_candidate& c) {
  auto p = models::render_template(c.form, {});
  return p ? *p : c.form;
}

void remember_form(session_actor* self, const std::string& entry, std::size_t index) {
  auto& st = self->state;
  const auto* c = st.forms.spec().candidate(entry, index);
  st.cfg.opts.wire->learn(st.cfg.model->product, st.target.version, entry, static_cast<std::uint32_t>(index),
                          st.wire_gen);
  MPK_INFO(st.who, "wire: ", entry, " form #", index, " ", c ? c->form : std::string("?"), " works for ",
           st.cfg.model->product, " ",
           st.target.version.empty() ? std::string("(version unknown)") : st.target.version);
}

wire::answer answer_of(const relayed_http& r) { return wire::answer{r.status, r.content_type, r.body, r.error}; }

void broadcast_state(session_actor* self, phone_state s, std::string reason) {
  auto& st = self->state;
  if (s == st.shown && reason == st.reason) return;
  st.shown = s;
  st.reason = std::move(reason);
  MPK_INFO(st.who, "state ", to_string(s), st.reason.empty() ? "" : ": ", st.reason);
  send_event(self, "PhoneState", phone_state_json(s, st.reason));
}

void send_event(session_actor* self, const std::string& mt, const std::string& json) {
  auto& st = self->state;
  for (auto& [id, w] : st.watchers) self->send(w, phone_event{st.cfg.device, mt, json});
}

void send_frames(session_actor* self, const std::vector<outgoing_frame>& frames) {
  auto& st = self->state;
  for (const auto& f : frames) {
    auto it = st.watchers.find(f.to);
    if (it == st.watchers.end()) continue;
    MPK_TRACE(lcd, st.who, "frame ", f.seq, f.full ? " full " : " delta ", f.bytes->size(), " bytes");
    self->send(it->second, lcd_frame{st.cfg.device, f.seq, *f.bytes});
  }
  if (!frames.empty()) arm_ack_check(self);
}

void arm_ack_check(session_actor* self) {
  auto& st = self->state;
  if (st.ack_check_armed || st.cfg.opts.ack_timeout.count() <= 0) return;
  st.ack_check_armed = true;
  self->delayed_send(self, st.cfg.opts.ack_timeout, atom::frame_ack_v, ++st.ack_epoch);
}

void on_ack_check(session_actor* self, std::uint64_t epoch) {
  auto& st = self->state;
  if (epoch != st.ack_epoch) return;
  st.ack_check_armed = false;
  auto again = st.pacer.resend_unacked(frame_pacer::clock::now(), st.cfg.opts.ack_timeout);
  if (!again.empty())
    MPK_WARN(st.who, again.size(), " watcher(s) did not acknowledge a frame for ", st.cfg.opts.ack_timeout.count(),
             " ms: a full frame again");
  send_frames(self, again); // arms the next check when it sent something
  if (st.pacer.any_awaiting()) arm_ack_check(self);
}

void apply_target(session_actor* self, phone_target t) {
  auto& st = self->state;
  if (t.epoch != 0 && st.target.epoch != 0 && t.epoch < st.target.epoch) return; // an answer overtaken by a newer push
  bool was_usable = reachable(st.target);
  bool new_url = t.base_url != st.target.base_url;
  if (t.device.empty()) t.device = st.cfg.device;
  st.target = std::move(t);
  if (!reachable(st.target)) {
    auto [s, why] = unreachable_reason(st.target);
    if (st.phase != session_phase::offline)
      self->become(enter_offline(self, s, why));
    else
      broadcast_state(self, s, why); // e.g. offline -> stale when the link goes down too
    return;
  }
  // Usable: resume at once with a new key (devices-api reconnect) or when back online.
  if (st.phase == session_phase::offline || !was_usable || new_url) self->become(enter_connecting(self));
}

} // namespace mpk::session

namespace mpk {

namespace {

caf::behavior phone_session_fn(session::session_actor* self, session_config cfg) {
  auto& st = self->state;
  st.who = "phone_session " + cfg.device;
  if (!cfg.opts.io || !cfg.opts.catalog || !cfg.opts.wire || !cfg.model || cfg.device.empty()) {
    MPK_ERROR(st.who, "cannot start: io runtime, catalog, wire memory, model and device id are required");
    self->quit(session::make_text_error("phone session misconfigured"));
    return {};
  }
  st.cfg = std::move(cfg);
  st.target = st.cfg.target;
  if (st.target.device.empty()) st.target.device = st.cfg.device;
  st.pacer = session::frame_pacer(st.cfg.device);
  session::load_wire(self);
  // An error reply to a plain send (e.g. the registry refusing watch_tgt) must not kill us.
  self->set_error_handler([who = st.who](caf::error& e) { MPK_WARN(who, "error message: ", session::error_text(e)); });
  self->set_default_handler([who = st.who](caf::scheduled_actor*, caf::message_view& m) -> caf::result<caf::message> {
    MPK_WARN(who, "unexpected message dropped: ", caf::to_string(m.content()));
    return caf::sec::unexpected_message;
  });
  if (st.cfg.supervisor) {
    // Not a plain monitor: that would keep this session's memory in the manager after it ends.
    monitor_while_alive(self, st.cfg.supervisor);
    self->set_down_handler([=](caf::down_msg& dm) {
      if (dm.source == self->state.cfg.supervisor) {
        MPK_INFO(self->state.who, "stopping: the phone manager ended");
        self->quit();
      }
    });
  }
  if (st.cfg.opts.registry) self->send(st.cfg.opts.registry, atom::watch_tgt_v, st.cfg.device);
  session::load_key_labels(self);
  session::arm_grace(self); // nobody watches yet: a session spawned for one command ends after the grace
  MPK_INFO(st.who, "started for ", st.target.product, " ", st.target.hw_id);
  return session::start(self);
}

} // namespace

phone_session_actor spawn_phone_session(caf::local_actor* supervisor, session_config cfg) {
  cfg.supervisor = supervisor->address();
  auto a = supervisor->spawn(phone_session_fn, std::move(cfg));
  supervisor->monitor(a);
  return caf::actor_cast<phone_session_actor>(a);
}

} // namespace mpk
