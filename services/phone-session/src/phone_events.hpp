#pragma once
/// The JSON bodies of the notifications a watcher gets (docs/app-protocol.md §4): PhoneState
/// and Registrations. Only the members after "mt"; the gateway adds mt, device and src.

#include "common/models/registrations.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace mpk::session {

/// What a watcher is told about the phone.
enum class phone_state { connecting, online, offline, stale, error };

std::string_view to_string(phone_state s);

/// `"state":"online"` or `"state":"error","reason":"..."` (reason only when not empty).
std::string phone_state_json(phone_state s, std::string_view reason);

/// `"regs":[{"id":0,"state":"registered","number":"101","name":"Alice","gatekeeper":"pbx",
/// "protocol":"SIP","error":""},...]` with the state classified as the web app colours it.
std::string registrations_json(const std::vector<models::registration>& regs);

} // namespace mpk::session
