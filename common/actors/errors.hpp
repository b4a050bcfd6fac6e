#pragma once
/// The errors that cross a service boundary (registry, phone sessions → gateway): one enum, one
/// CAF error category ("mpk"), so the gateway decides what to tell a browser by the code, never by
/// searching an error's text. The context carries one string: plain words for the admin.
/// The gateway maps each code to the app protocol once (services/gateway/app_errors.cpp).

#include <caf/error.hpp>
#include <caf/make_message.hpp>
#include <caf/message.hpp>

#include <cstdint>
#include <string>

namespace mpk {

enum class errc : std::uint8_t {
  none = 0,
  /// No device with this id, or one outside the caller's tenants (one code for both, so that
  /// nobody can probe which ids exist in other tenants).
  unknown_device = 1,
  /// The device is not a phone this service supports (model, firmware).
  unsupported = 2,
  /// The phone is offline (the Devices App says so).
  offline = 3,
  /// The request itself is malformed.
  bad_request = 4,
  /// A service the request needs is (re)starting or its link is down: try again shortly.
  unavailable = 5,
  /// The phone or its Devices App answered with an error.
  phone_failed = 6,
};

/// `code` with `text` (plain words) as the error's context.
caf::error make_mpk_error(errc code, std::string text);

/// The code of one of our errors; errc::none for any other error (CAF's own included).
errc code_of(const caf::error& e);

/// The text an error carries in its context (our errors: one string); "" if it has none.
std::string text_of(const caf::error& e);

/// The app protocol's error code of `code` (docs/app-protocol.md §6) — the one place where the
/// two meet: UNKNOWN_DEVICE, UNSUPPORTED, OFFLINE, BAD_REQUEST, SERVICE_UNAVAILABLE, FAILED.
const char* app_code_of(errc code);

} // namespace mpk

CAF_ERROR_CODE_ENUM(mpk::errc, "mpk")
