#include "services/phone-session/src/caf_errors.hpp"

#include <caf/message.hpp>
#include <caf/sec.hpp>

namespace mpk::session {

std::string error_text(const caf::error& e) {
  const auto& ctx = e.context();
  if (ctx.match_elements<std::string>()) return ctx.get_as<std::string>(0);
  if (e == caf::sec::request_timeout) return "no answer in time";
  if (e == caf::sec::request_receiver_down) return "the receiver is gone";
  return caf::to_string(e);
}

caf::error make_text_error(std::string text) { return caf::make_error(caf::sec::runtime_error, std::move(text)); }

} // namespace mpk::session
