#pragma once
// What a browser is told when a request to another service fails: the app protocol's error code
// (docs/app-protocol.md §6), plain words, and for a service that is restarting how long to wait
// before trying again. Decided by the error's code (common/actors/errors.hpp), never its text; no
// text of the actor system or of another service's internals reaches a browser.

#include <caf/error.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace mpk::gateway {

/// Which service a request went to, named in the words a browser gets.
enum class service_kind { registry, phone_sessions };

struct app_error {
  std::string code;                 ///< UNKNOWN_DEVICE, UNSUPPORTED, OFFLINE, BAD_REQUEST, SERVICE_UNAVAILABLE, FAILED
  std::string text;                 ///< plain words for errorText
  std::uint32_t retry_after_ms = 0; ///< > 0 only with SERVICE_UNAVAILABLE
};

/// The app protocol error for `err`, which came back from a request to `service`.
app_error app_error_of(const caf::error& err, service_kind service);

/// SERVICE_UNAVAILABLE for a request to `service` that has no handle (the process is not connected).
app_error service_unavailable(service_kind service);

} // namespace mpk::gateway
