// phone_session: the read entries polled while the phone is watched — registrations and the
// function keys' labels and LEDs. Each is a chain of ticks: send the current candidate, judge
// the answer, go on to the next candidate while searching (docs/wire-calibration.md), and on an
// answer that works tell the watchers what changed.

#include "common/base/log.hpp"
#include "common/models/function_keys.hpp"
#include "common/models/registrations.hpp"
#include "services/phone-session/src/caf_errors.hpp"
#include "services/phone-session/src/session_ops.hpp"
#include "services/phone-session/wire/wire_judge.hpp"

namespace mpk::session {

namespace {

constexpr std::size_t max_read_bytes = 256 << 10;
const std::string registrations = "registrations";
const std::string function_keys = "functionKeys";

bool has_function_keys(const models::model& m) {
  for (const auto& k : m.keys)
    if (k.kind == models::key_kind::function) return true;
  return false;
}

caf::timespan interval_of(const phone_options& o, const std::string& entry) {
  return entry == function_keys ? o.function_keys_interval : o.registrations_interval;
}

/// What a working answer means for the watchers.
void use_answer(session_actor* self, const std::string& entry, const models::wire_candidate& c,
                const std::string& body) {
  auto& st = self->state;
  std::string err;
  if (entry == registrations) {
    if (auto regs = models::parse_registrations_xml(body, models::registrations_format::from(c.format), err)) {
      auto json = registrations_json(*regs);
      if (json != st.regs_json) {
        st.regs_json = std::move(json);
        send_event(self, "Registrations", st.regs_json);
      }
    }
  } else if (entry == function_keys) {
    if (auto keys = models::parse_function_keys_xml(body, models::function_keys_format::from(c.format), err)) {
      phone_key_map now;
      for (const auto& k : *keys) now["F" + std::to_string(k.n)] = phone_key_state{k.label, k.led, k.colour};
      st.phone_keys = std::move(now);
      publish_key_states(self);
    }
  }
}

void tick_later(session_actor* self, const std::string& entry) {
  auto& st = self->state;
  self->delayed_send(self, interval_of(st.cfg.opts, entry), atom::tick_v, entry, ++st.reads[entry].epoch);
}

} // namespace

void start_reads(session_actor* self, bool restart) {
  auto& st = self->state;
  if (st.phase == session_phase::offline) return;
  std::vector<std::string> entries{registrations};
  if (has_function_keys(*st.cfg.model)) entries.push_back(function_keys);
  for (const auto& entry : entries) {
    auto& chain = st.reads[entry];
    if (chain.active && !restart) continue;
    chain.active = true;
    self->send(self, atom::tick_v, entry, ++chain.epoch);
  }
}

void stop_reads(session_actor* self) {
  for (auto& [entry, chain] : self->state.reads) {
    ++chain.epoch;
    chain.active = false;
  }
}

void reset_reads(session_actor* self) {
  for (auto& [entry, chain] : self->state.reads) chain.exhausted_logged = false;
}

void on_read_tick(session_actor* self, const std::string& entry, std::uint64_t epoch) {
  auto& st = self->state;
  auto& chain = st.reads[entry];
  if (epoch != chain.epoch) return;
  if (st.phase == session_phase::offline || st.watchers.empty()) {
    chain.active = false; // the chain ends; the next watcher or link starts it again
    return;
  }
  const auto* c = st.forms.candidate(entry);
  if (!c) {
    chain.active = false; // the wire data has no form for it
    return;
  }
  auto index = static_cast<std::uint64_t>(st.forms.current(entry));
  passthrough_fetch(self, "GET", form_path(*c), "", max_read_bytes, atom::tick_v, entry, st.link_gen, index);
}

void on_read_result(session_actor* self, const std::string& entry, std::uint64_t gen, std::uint64_t candidate,
                    relayed_http r) {
  auto& st = self->state;
  if (gen != st.link_gen) return;
  const auto* c = st.forms.spec().candidate(entry, candidate);
  if (!c) return;
  auto j = wire::judge(entry, *c, answer_of(r));
  if (!st.forms.known(entry)) {
    switch (st.forms.record(entry, candidate, j, r.status)) {
      case wire_forms::outcome::chosen: remember_form(self, entry, candidate); break;
      case wire_forms::outcome::wait: break;
      case wire_forms::outcome::next:
        MPK_INFO(st.who, entry, " form #", candidate, " ", c->form, " not spoken here: ", j.why, "; trying the next");
        self->send(self, atom::tick_v, entry, ++st.reads[entry].epoch);
        return;
      case wire_forms::outcome::exhausted: {
        auto& chain = st.reads[entry];
        if (!chain.exhausted_logged) MPK_WARN(st.who, st.forms.exhausted_reason(entry));
        chain.exhausted_logged = true;
        return tick_later(self, entry);
      }
    }
  }
  if (j.v == wire::verdict::works) {
    use_answer(self, entry, *c, r.body);
  } else if (r.status != 0 && success_status(r.status)) {
    MPK_WARN(st.who, entry, " not readable: ", j.why);
  } else {
    auto f = classify_failure(r.status != 0, r.status, r.body, r.error);
    MPK_TRACE(lcd, st.who, entry, " poll failed: ", f.reason);
  }
  tick_later(self, entry);
}

} // namespace mpk::session
