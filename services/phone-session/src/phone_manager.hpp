#pragma once
/// PHONE MANAGER: spawns one phone_session per phone on demand, supervises it (monitor +
/// respawn with backoff, watchers re-attached) and routes the gateway's requests to it.
/// Writes and reads the audit log of every phone operation.
///
/// Its public type is `phone_manager_actor` (common/actors/interfaces.hpp: watch, unwatch,
/// frame_ack, command, admin_http, audit, wire_check, wire_reload, status, log_status; the process
/// that runs it holds it as `phone_manager_node_actor`, which adds drain);
/// a watcher is a `phone_watcher_actor` and gets phone_event and lcd_frame messages. Refusals
/// are mpk::errc errors: the registry's (unknown device / outside scope) or unsupported.

#include "common/actors/interfaces.hpp"
#include "services/phone-session/src/phone_options.hpp"

#include <caf/actor_system.hpp>

namespace mpk {

/// The caller keeps the returned handle (CAF kills an actor no strong handle refers to, even
/// while it monitors others). Invalid options (no io runtime, registry or catalog) give an actor that has
/// quit with an error.
phone_manager_node_actor spawn_phone_manager(caf::actor_system& sys, phone_options opts);

} // namespace mpk
