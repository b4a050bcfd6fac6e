#include "services/gateway/app_errors.hpp"

#include "common/actors/errors.hpp"

#include <caf/atom.hpp>
#include <caf/sec.hpp>

namespace mpk::gateway {

namespace {

/// How long a browser waits before it asks a restarting service again: a node that died is found
/// again within about a second (heartbeat 200 ms, connection timeout 1 s, docs/topology.md).
constexpr std::uint32_t retry_after_restart_ms = 1000;

const char* name_of(service_kind s) {
  return s == service_kind::registry ? "the device registry" : "the phone sessions";
}

} // namespace

app_error service_unavailable(service_kind service) {
  return {app_code_of(errc::unavailable), std::string(name_of(service)) + " is restarting; try again shortly",
          retry_after_restart_ms};
}

app_error app_error_of(const caf::error& err, service_kind service) {
  auto text = text_of(err);
  auto code = code_of(err);
  switch (code) {
    // One answer for "no such id" and "not yours": nobody can probe another tenant's ids.
    case errc::unknown_device: return {app_code_of(code), "no device with this id in your scope"};
    case errc::unsupported: return {app_code_of(code), text.empty() ? "this device is not supported" : text};
    case errc::offline: return {app_code_of(code), text.empty() ? "the phone is offline" : text};
    case errc::bad_request: return {app_code_of(code), text.empty() ? "the request is malformed" : text};
    case errc::unavailable: {
      auto e = service_unavailable(service);
      if (!text.empty()) e.text = text;
      return e;
    }
    case errc::phone_failed: return {app_code_of(code), text.empty() ? "the phone did not do it" : text};
    case errc::none: break;
  }
  // CAF's own errors between the services mean the other side is gone, restarting or too busy
  // to answer in time: the same answer for all, in plain words, and the browser tries again.
  if (err.category() == caf::atom("system")) {
    auto e = service_unavailable(service);
    if (err == caf::sec::request_timeout)
      e.text = std::string(name_of(service)) + " did not answer in time; try again shortly";
    return e;
  }
  return {"FAILED", std::string(name_of(service)) + " could not do this"};
}

} // namespace mpk::gateway
