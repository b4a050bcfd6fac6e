#pragma once
/// PHONE MANAGER: spawns one phone_session per phone on demand, supervises it (monitor +
/// respawn with backoff, watchers re-attached) and routes the gateway's requests to it.
/// Writes and reads the audit log of every phone operation.
///
/// Messages (atoms of common/actors/atoms.hpp):
///   (watch, std::string device, std::vector<std::string> tenants, caf::actor watcher) -> phone_target
///       error (text): the registry's (unknown device / outside scope) or "unsupported ...".
///       The watcher then gets phone_event (PhoneState, Registrations) and lcd_frame messages.
///   (unwatch, std::string device, caf::actor watcher)
///   (frame_ack, std::string device, std::uint32_t seq, caf::actor watcher)
///   (command, phone_command) -> command_result   (always a result; codes in command_result.error)
///   (admin_http, std::string device, std::string method, std::string path, std::string body) -> relayed_http
///   (audit, std::string device /* "" = all */, std::uint32_t limit) -> std::string JSON array, newest first
///   (audit, audit_note) -> bool   an entry of another service (the admin-UI relay), written
///   (status) -> std::string JSON array [{"device","state","watchers","frames","polls","lastError"}]
///   (wire_check, std::string device, std::vector<std::string> acts, actor_identity who) -> std::string
///       JSON report of the wire check (docs/wire-calibration.md); acts as "key:0:MENU", "touch:0:10:20", …
///   (wire_reload) -> std::string JSON array with this node's result: phone.wire-file read again, or
///       the error naming the entry while the last good data stays in force
///   (log_status)  one log line per session
///   (drain)       stops every session and the manager (normal exit)

#include "services/phone-session/src/phone_options.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

namespace mpk {

/// The caller keeps the returned handle (CAF kills an actor no strong handle refers to, even
/// while it monitors others). Invalid options (no io runtime, registry or catalog) give an actor that has
/// quit with an error.
caf::actor spawn_phone_manager(caf::actor_system& sys, phone_options opts);

} // namespace mpk
