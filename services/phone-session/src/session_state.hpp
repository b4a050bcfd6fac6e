#pragma once
/// The state of one phone_session actor (private to the session's translation units).

#include "common/actors/messages.hpp"
#include "services/phone-session/lcd/last_dump.hpp"
#include "services/phone-session/src/frame_pacer.hpp"
#include "services/phone-session/src/key_labels.hpp"
#include "services/phone-session/src/phone_events.hpp"
#include "services/phone-session/src/phone_session.hpp"
#include "services/phone-session/src/wire_forms.hpp"

#include <caf/actor_clock.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/response_promise.hpp>
#include <caf/stateful_actor.hpp>

#include <cstdint>
#include <map>
#include <set>
#include <vector>
#include <string>

namespace mpk::session {

/// A request answered when its passthrough exchange is back.
struct pending_request {
  caf::response_promise promise;
  bool is_command = true;   ///< command_result, else relayed_http (admin UI)
  bool refresh_lcd = false; ///< poll the screen right after
  // -- a command sent with a candidate form still being tried ----------------------------
  std::string entry;         ///< key, touch or text ("" = not a search)
  std::size_t candidate = 0; ///< the candidate it was sent with
  std::uint64_t wire_gen = 0;
  phone_command cmd;      ///< to send it again with the next candidate
  std::string lcd_before; ///< the last dump when it was sent: did the screen change?
  relayed_http answer;    ///< kept while the LCD is checked after an answer with an error
};

/// A command waiting for the candidate search of its entry to end.
struct queued_command {
  phone_command cmd;
  caf::response_promise promise;
};

/// One read entry polled while the phone is watched: a chain of ticks, each one exchange.
struct read_chain {
  std::uint64_t epoch = 0;       ///< only the newest tick counts
  bool active = false;           ///< a tick or an exchange of the chain is pending
  bool exhausted_logged = false; ///< "no candidate works" was logged for this wire data
};

/// Where a phone session is: reaching the phone (first contact, or retrying after errors), the
/// phone answers, or the phone cannot be reached (no target, offline, link down, gone).
enum class session_phase : std::uint8_t { connecting, online, offline };

struct session_state {
  static inline const char* name = "phone_session";

  session_config cfg;
  phone_target target;
  std::string who; ///< log prefix: "phone_session <device>"

  // -- FSM (the behavior installed matches) --
  session_phase phase = session_phase::connecting;
  phone_state shown = phone_state::connecting; ///< what watchers were told last
  std::string reason;

  // -- watchers ---------------------------------------------------------------
  frame_pacer pacer{""};
  std::map<watcher_id, phone_watcher_actor> watchers;
  std::map<caf::actor_addr, watcher_id> ids;
  watcher_id next_watcher = 1;

  // -- the passthrough link ------------------------------------------------------
  /// Bumped on every target change: answers of an older link are dropped.
  std::uint64_t link_gen = 0;
  unsigned failures = 0;       ///< consecutive failed LCD polls (backoff)
  bool registry_asked = false; ///< asked for a fresh target in this failure streak
  /// The passthrough URL the registry confirmed after the phone refused its key (403/404): a
  /// refusal of that URL again is a real error, not a key that was renewed meanwhile.
  std::string key_confirmed_url;

  // -- LCD loop ------------------------------------------------------------------
  std::uint64_t poll_epoch = 0; ///< only the newest poll tick counts
  bool poll_timer = false;
  caf::actor_clock::time_point poll_due{};
  bool poll_in_flight = false;
  bool refresh_wanted = false; ///< a key press: poll at once, even if no watcher is ready
  caf::actor_clock::time_point last_poll_start{};
  caf::timespan poll_gap{}; ///< current gap between polls: min_interval, growing while unchanged
  lcd::last_dump last_dump; ///< the last raw BMP: an identical next one is not decoded

  std::uint64_t ack_epoch = 0; ///< only the newest lost-frame check counts
  bool ack_check_armed = false;

  // -- read entries polled while watched (registrations, function keys) ---------------
  std::map<std::string, read_chain> reads; ///< by entry name
  std::string regs_json;                   ///< last sent Registrations body ("" = none yet)

  // -- function keys: labels and LEDs (KeyStates) ------------------------------------
  label_map operator_labels;   ///< set in the app, from phone_options::key_labels
  phone_key_map phone_keys;    ///< what the phone reports
  std::string key_states_json; ///< last KeyStates body ("" = none sent yet)

  // -- wire forms (docs/wire-calibration.md) ------------------------------------------------
  wire_forms forms;                ///< the candidate sent per entry: remembered, or being tried
  std::uint64_t wire_gen = 0;      ///< generation of the wire data the forms belong to
  std::set<std::string> searching; ///< acting entries with a candidate search in flight
  std::map<std::string, std::vector<queued_command>> waiting; ///< commands behind a search

  // -- grace -------------------------------------------------------------------------
  std::uint64_t grace_epoch = 0;

  // -- requests --------------------------------------------------------------------
  std::uint64_t next_request = 1;
  std::map<std::uint64_t, pending_request> pending;

  // -- counters ----------------------------------------------------------------------
  std::uint64_t polls = 0;
  std::string last_error;
};

using session_actor = caf::stateful_actor<session_state>;

} // namespace mpk::session
