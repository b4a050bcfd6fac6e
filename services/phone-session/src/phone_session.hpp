#pragma once
/// PHONE SESSION: one actor per watched phone, shared by every admin watching it.
/// It owns the passthrough link (base URL from the registry, refreshed on every change), the
/// LCD loop with per-watcher pacing, the registration poll, and the phone operations.
/// FSM: connecting -> online <-> offline (see docs/phone-session.md).
///
/// Internal to the phone-session service: only its PHONE MANAGER holds a session's handle, as a
/// `phone_session_actor` (below). What a session pushes to its watchers is the public
/// `phone_watcher_actor`, and to the registry it is a `target_watcher_actor` (interfaces.hpp).
/// The session itself is a dynamically typed FSM (its states swap behaviors with `become`).
/// INTERNAL: (poll, epoch) LCD tick; (tick, epoch) registrations tick; (drain, epoch) grace
/// check; (poll|tick, link generation, relayed_http) and (command|admin_http, request id,
/// relayed_http) passthrough answers.

#include "common/actors/interfaces.hpp"
#include "common/actors/messages.hpp"
#include "services/phone-session/src/phone_options.hpp"

#include <caf/actor.hpp>
#include <caf/local_actor.hpp>

#include <string>

namespace mpk::models {
struct model;
}

namespace mpk {

/// A PHONE SESSION as its PHONE MANAGER holds it (watchers are attached and detached by it).
using phone_session_actor = caf::typed_actor<
  /// (watch, watcher) / (unwatch, watcher): the watcher gets this phone's events and frames, or no more.
  caf::reacts_to<atom::watch, phone_watcher_actor>, caf::reacts_to<atom::unwatch, phone_watcher_actor>,
  /// (frame_ack, seq, watcher): pacing of that watcher's frames.
  caf::reacts_to<atom::frame_ack, std::uint32_t, phone_watcher_actor>,
  /// phone_target: fresher than the one the session holds? it keeps the newer one (by epoch).
  caf::reacts_to<phone_target>,
  /// (command, command) -> its result.
  caf::replies_to<atom::command, phone_command>::with<command_result>,
  /// (admin_http, method, path, body) -> the phone's answer through the passthrough.
  caf::replies_to<atom::admin_http, std::string, std::string, std::string>::with<relayed_http>,
  /// (status) -> JSON object; (log_status): one log line.
  caf::replies_to<atom::status>::with<std::string>, caf::reacts_to<atom::log_status>,
  /// (wire_reload): take the node's wire data in force now; (drain): quit now.
  caf::reacts_to<atom::wire_reload>, caf::reacts_to<atom::drain>>;

struct session_config {
  std::string device;
  phone_target target; ///< as the registry gave it when the session was spawned
  const models::model* model = nullptr;
  phone_options opts;
  caf::actor_addr supervisor; ///< the session ends with it (set by spawn_phone_session)
};

/// Spawns a session and monitors it from `supervisor`; the session monitors the supervisor in
/// turn and ends when it does (no orphan keeps polling a phone).
phone_session_actor spawn_phone_session(caf::local_actor* supervisor, session_config cfg);

} // namespace mpk
