#pragma once
/// Small rules of the passthrough link to a phone: building request URLs from the base URL
/// (which carries the devices-api session key), checking what the admin-UI proxy may request,
/// and reading a failed exchange as a phone state and an error code.

#include "services/phone-session/src/phone_events.hpp"
#include "services/phone-session/wire/phone_url.hpp"

#include <string>
#include <string_view>

namespace mpk::session {

using wire::join_url;
using wire::without_secret;

/// Checks an admin-UI request the gateway relays: GET/HEAD/POST, a path that starts with '/',
/// at most 4096 bytes, no control characters, no backslash, no "." or ".." segment (it must
/// not climb out of the phone's part of the passthrough URL), no fragment.
bool admin_request_ok(std::string_view method, std::string_view path, std::string& err);

/// How a failed or refused exchange with the phone reads.
struct failure {
  phone_state state = phone_state::error; ///< offline for "device offline" (503), else error
  std::string code;                       ///< OFFLINE, TIMEOUT or PHONE_ERROR
  std::string reason;                     ///< plain words, never the URL (it holds the key)
  bool new_key_needed = false;            ///< 403/404: the key may be stale, ask the registry again
};

/// `ok` = a complete HTTP response arrived; `status`/`body` of it, else `error` of the client.
/// Only meaningful for a failure: ok with a 2xx status is not one.
failure classify_failure(bool ok, int status, std::string_view body, std::string_view error);

/// True for a 2xx status.
inline bool success_status(int status) { return status >= 200 && status < 300; }

} // namespace mpk::session
