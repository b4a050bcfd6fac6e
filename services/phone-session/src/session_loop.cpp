// phone_session: the LCD poll loop (pacing, unchanged check, decode, frames).

#include "common/base/log.hpp"
#include "common/models/catalog.hpp"
#include "services/phone-session/lcd/bmp_decoder.hpp"
#include "services/phone-session/src/caf_errors.hpp"
#include "services/phone-session/src/session_ops.hpp"
#include "services/phone-session/wire/wire_judge.hpp"

#include <algorithm>

namespace mpk::session {

namespace {

constexpr std::size_t max_dump_bytes = 8 << 20;
constexpr auto max_backoff = std::chrono::seconds(30);

/// Delay before the next try after `failures` failed polls: doubling from the larger of the
/// poll interval and half a second, capped at 30 s.
caf::timespan retry_delay(const phone_options& o, unsigned failures) {
  using namespace std::chrono;
  auto base = std::max<milliseconds>(o.min_interval, milliseconds(500));
  auto d = duration_cast<caf::timespan>(base);
  for (unsigned i = 1; i < failures && d < max_backoff; ++i) d *= 2;
  return std::min<caf::timespan>(d, max_backoff);
}

void start_poll(session_actor* self) {
  auto& st = self->state;
  st.poll_in_flight = true;
  st.refresh_wanted = false;
  st.last_poll_start = self->clock().now();
  ++st.polls;
  auto index = static_cast<std::uint64_t>(st.forms.current("lcd"));
  passthrough_fetch(self, "GET", form_path(*st.forms.candidate("lcd")), "", max_dump_bytes, atom::poll_v, st.link_gen,
                    index);
}

/// The answer of an LCD candidate still being tried. True when the poll result goes on as a
/// normal one (this form works, or the answer says nothing about the form).
bool judge_lcd_candidate(session_actor* self, std::uint64_t index, const relayed_http& r) {
  auto& st = self->state;
  const auto* c = st.forms.spec().candidate("lcd", index);
  if (!c) return false;
  auto j = wire::judge("lcd", *c, answer_of(r));
  switch (st.forms.record("lcd", index, j, r.status)) {
    case wire_forms::outcome::chosen: remember_form(self, "lcd", index); return true;
    case wire_forms::outcome::wait: return true;
    case wire_forms::outcome::next:
      MPK_INFO(st.who, "lcd form #", index, " ", c->form, " not spoken here: ", j.why, "; trying the next");
      st.refresh_wanted = true; // the next candidate at once
      schedule_poll(self);
      return false;
    case wire_forms::outcome::exhausted:
      on_link_failure(self, st.forms.exhausted_reason("lcd"), phone_state::error, st.forms.all_not_found("lcd"));
      schedule_poll(self); // the next round, after the backoff
      return false;
  }
  return false;
}

void ask_registry(session_actor* self) {
  auto& st = self->state;
  if (!st.cfg.opts.registry || st.registry_asked) return;
  st.registry_asked = true;
  // Tenant scope was checked when the watchers came; this only refreshes the key.
  self
    ->request(st.cfg.opts.registry, st.cfg.opts.request_timeout, atom::target_v, st.cfg.device,
              std::vector<std::string>{})
    .then(
      [=](phone_target& t) {
        auto& st = self->state;
        // The same URL again: the registry holds no newer key, so a refusal of it is real.
        if (st.failures > 0 && !t.base_url.empty() && t.base_url == st.target.base_url)
          st.key_confirmed_url = t.base_url;
        apply_target(self, std::move(t));
      },
      [=](caf::error& e) {
        // Restarting, most likely: ask again at the next failed poll (or take its push when it is back).
        self->state.registry_asked = false;
        MPK_WARN(self->state.who, "registry did not give a fresh target: ", error_text(e));
      });
}

} // namespace

void speed_up_polling(session_actor* self) {
  auto& st = self->state;
  st.poll_gap = std::chrono::duration_cast<caf::timespan>(st.cfg.opts.min_interval);
}

void slow_down_polling(session_actor* self) {
  auto& st = self->state;
  auto slowest =
    std::chrono::duration_cast<caf::timespan>(std::max(st.cfg.opts.idle_interval, st.cfg.opts.min_interval));
  auto gap = std::max(st.poll_gap, std::chrono::duration_cast<caf::timespan>(st.cfg.opts.min_interval));
  st.poll_gap = std::min(gap + gap / 2, slowest);
}

void schedule_poll(session_actor* self) {
  auto& st = self->state;
  if (st.phase == session_phase::offline || st.watchers.empty() || st.poll_in_flight) return;
  if (!st.refresh_wanted && !st.pacer.any_ready()) return; // nobody could take a frame: the next ack restarts the loop
  auto now = self->clock().now();
  caf::actor_clock::time_point due;
  if (st.failures > 0)
    due = st.last_poll_start + retry_delay(st.cfg.opts, st.failures);
  else if (st.refresh_wanted)
    due = now;
  else
    due =
      st.last_poll_start + std::max(st.poll_gap, std::chrono::duration_cast<caf::timespan>(st.cfg.opts.min_interval));
  if (due < now) due = now;
  if (st.poll_timer && st.poll_due <= due) return; // an earlier tick is already armed
  st.poll_timer = true;
  st.poll_due = due;
  auto epoch = ++st.poll_epoch;
  if (due == now)
    self->send(self, atom::poll_v, epoch);
  else
    self->delayed_send(self, due - now, atom::poll_v, epoch);
}

void on_poll_tick(session_actor* self, std::uint64_t epoch) {
  auto& st = self->state;
  if (epoch != st.poll_epoch) return; // superseded by a newer tick
  st.poll_timer = false;
  if (st.phase == session_phase::offline || st.watchers.empty() || st.poll_in_flight) return;
  if (!st.refresh_wanted && !st.pacer.any_ready()) return;
  start_poll(self);
}

void on_poll_result(session_actor* self, std::uint64_t gen, std::uint64_t candidate, relayed_http r) {
  auto& st = self->state;
  if (gen != st.link_gen) return; // from a link we left; the current one has its own poll
  st.poll_in_flight = false;
  if (!st.forms.known("lcd") && !judge_lcd_candidate(self, candidate, r)) return;
  bool answered = r.status != 0;
  if (!answered || !success_status(r.status)) {
    auto f = classify_failure(answered, r.status, r.body, r.error);
    on_link_failure(self, f.reason, f.state, f.new_key_needed);
  } else {
    if (st.last_dump.same_as(r.body)) {
      MPK_TRACE(lcd, st.who, "screen unchanged");
      slow_down_polling(self);
    } else {
      // A change on its own (a clock, a call timer, an incoming call) keeps the gap where it is:
      // a screen ticking once a second is then polled about once a second, each poll a change,
      // instead of 3-4 polls per change at min_interval. Input (key, touch, text, action) and a
      // new watcher still bring the fastest pace back: then the user waits for the reaction.
      // Rows equal to the last dump's keep their pixels from the picture decoded from it.
      auto decoded = lcd::decode_bmp_update(r.body, st.last_dump.bytes(), st.pacer.current());
      if (auto* err = std::get_if<lcd::decode_error>(&decoded)) {
        on_link_failure(self, "bad screen dump: " + err->text, phone_state::error, false);
        schedule_poll(self);
        return;
      }
      st.last_dump.keep(std::move(r.body));
      send_frames(self, st.pacer.publish(std::move(std::get<lcd::image>(decoded))));
    }
    st.failures = 0;
    st.registry_asked = false;
    st.key_confirmed_url.clear();
    if (st.phase != session_phase::online) {
      st.phase = session_phase::online;
      broadcast_state(self, phone_state::online, "");
    }
  }
  schedule_poll(self);
}

void on_link_failure(session_actor* self, const std::string& reason, phone_state state, bool new_key_needed) {
  auto& st = self->state;
  ++st.failures;
  st.last_error = reason;
  if (st.failures == 1) MPK_WARN(st.who, "poll failed: ", reason);
  st.phase = session_phase::connecting; // retrying: operations still go through, the phone may answer them
  // A refused key is most often one the Devices App renewed (its link to the registry restarted):
  // connecting until the registry has given a key, an error only when it confirms the refused one.
  if (new_key_needed && st.key_confirmed_url != st.target.base_url) {
    broadcast_state(self, phone_state::connecting, "renewing the passthrough session key");
    ask_registry(self);
    return;
  }
  broadcast_state(self, state, reason);
  if (new_key_needed) ask_registry(self);
}

} // namespace mpk::session
