// phone_session: the function keys' labels and LEDs (KeyStates): the operators' labels from the
// node's store, SetKeyLabels, and what watchers are told.

#include "common/base/log.hpp"
#include "services/phone-session/src/session_ops.hpp"

namespace mpk::session {

namespace {

const std::string no_keys = "\"keys\":[]";

} // namespace

void load_key_labels(session_actor* self) {
  auto& st = self->state;
  if (st.cfg.opts.key_labels && !st.target.hw_id.empty())
    st.operator_labels = st.cfg.opts.key_labels->labels(st.target.hw_id);
  st.key_states_json = key_states_json(*st.cfg.model, st.operator_labels, st.phone_keys);
}

void send_key_states(session_actor* self, const phone_watcher_actor& watcher) {
  auto& st = self->state;
  if (!st.key_states_json.empty() && st.key_states_json != no_keys)
    self->send(watcher, phone_event{st.cfg.device, "KeyStates", st.key_states_json});
}

void publish_key_states(session_actor* self) {
  auto& st = self->state;
  auto json = key_states_json(*st.cfg.model, st.operator_labels, st.phone_keys);
  if (json == st.key_states_json) return;
  st.key_states_json = std::move(json);
  send_event(self, "KeyStates", st.key_states_json);
}

command_result set_key_labels(session_actor* self, const phone_command& cmd) {
  auto& st = self->state;
  std::string err;
  auto changes = parse_label_changes(cmd.arg, *st.cfg.model, err);
  if (!changes) return command_result{false, 0, "BAD_REQUEST", err};
  if (!st.cfg.opts.key_labels || st.target.hw_id.empty())
    return command_result{false, 0, "UNAVAILABLE", "labels cannot be kept for this phone (no MAC address known)"};
  auto after = st.cfg.opts.key_labels->set(st.target.hw_id, *changes, err);
  if (!after) {
    MPK_ERROR(st.who, "function-key labels not saved: ", err);
    return command_result{false, 0, "STORAGE", "the labels could not be saved"};
  }
  st.operator_labels = std::move(*after);
  MPK_INFO(st.who, changes->size(), " function-key label(s) set by ", cmd.who.sip);
  publish_key_states(self);
  return command_result{true, 200, "", ""};
}

} // namespace mpk::session
