#include "common/actors/errors.hpp"

#include <caf/atom.hpp>
#include <caf/message.hpp>

namespace mpk {

caf::error make_mpk_error(errc code, std::string text) { return caf::make_error(code, std::move(text)); }

errc code_of(const caf::error& e) {
  if (!e || e.category() != caf::atom("mpk")) return errc::none;
  return static_cast<errc>(e.code());
}

std::string text_of(const caf::error& e) {
  const auto& ctx = e.context();
  if (ctx.match_elements<std::string>()) return ctx.get_as<std::string>(0);
  return {};
}

const char* app_code_of(errc code) {
  switch (code) {
    case errc::unknown_device: return "UNKNOWN_DEVICE";
    case errc::unsupported: return "UNSUPPORTED";
    case errc::offline: return "OFFLINE";
    case errc::bad_request: return "BAD_REQUEST";
    case errc::unavailable: return "SERVICE_UNAVAILABLE";
    case errc::phone_failed:
    case errc::none: break;
  }
  return "FAILED";
}

} // namespace mpk
