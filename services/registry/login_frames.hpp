#pragma once
/// The AppWebsocket login of a devices_link at a Devices instance (docs/spec/appwebsocket.md §4 steps
/// 3–6): AppChallenge out, the challenge in, AppLogin built from the PBX's GetServiceLogin result,
/// AppLoginResult in. Pure text functions.

#include "common/actors/messages.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace mpk::registry {

/// {"mt":"AppChallenge","src":...}
std::string app_challenge_frame(std::string_view src);

/// AppLogin with app, domain, sip, guid, dn, pbxObj, info and digest copied unchanged from the
/// PBX's result; `info` is compact JSON text inserted raw (the digest covers it as it is).
/// nullopt when `info` is not one JSON object (it would make the frame invalid).
std::optional<std::string> app_login_frame(const service_login& login, std::string_view src);

/// What an instance answered to AppChallenge / AppLogin.
struct login_reply {
  enum kind { challenge, login_ok, login_failed, other } what = other;
  std::string text; ///< the challenge, or the failure in plain words
};

/// Classifies one frame of the login phase (never throws; garbage is `other`).
login_reply read_login_reply(std::string_view frame);

} // namespace mpk::registry
