#pragma once
/// PHONE SESSION: one actor per watched phone, shared by every admin watching it.
/// It owns the passthrough link (base URL from the registry, refreshed on every change), the
/// LCD loop with per-watcher pacing, the registration poll, and the phone operations.
/// FSM: connecting -> online <-> offline (see docs/phone-session.md).
///
/// Messages (from the manager; watchers are attached and detached by it):
///   (watch, caf::actor watcher) / (unwatch, caf::actor watcher)
///   (frame_ack, std::uint32_t seq, caf::actor watcher)
///   (command, phone_command) -> command_result
///   (admin_http, std::string method, std::string path, std::string body) -> relayed_http
///   (status) -> std::string JSON object;  (log_status);  (drain) quit now
///   phone_target   pushed by the registry after (watch_tgt, device)
/// INTERNAL: (poll, epoch) LCD tick; (tick, epoch) registrations tick; (drain, epoch) grace
/// check; (poll|tick, link generation, relayed_http) and (command|admin_http, request id,
/// relayed_http) passthrough answers.

#include "common/actors/messages.hpp"
#include "services/phone-session/src/phone_options.hpp"

#include <caf/actor.hpp>
#include <caf/event_based_actor.hpp>

#include <string>

namespace mpk::models { struct model; }

namespace mpk {

struct session_config {
  std::string device;
  phone_target target;                ///< as the registry gave it when the session was spawned
  const models::model* model = nullptr;
  phone_options opts;
  caf::actor_addr supervisor; ///< the session ends with it (set by spawn_phone_session)
};

/// Spawns a session and monitors it from `supervisor`; the session monitors the supervisor in
/// turn and ends when it does (no orphan keeps polling a phone).
caf::actor spawn_phone_session(caf::event_based_actor* supervisor, session_config cfg);

} // namespace mpk
