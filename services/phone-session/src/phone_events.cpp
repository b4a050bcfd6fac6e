#include "services/phone-session/src/phone_events.hpp"

#include "common/json/writer.hpp"

namespace mpk::session {

std::string_view to_string(phone_state s) {
  switch (s) {
    case phone_state::connecting: return "connecting";
    case phone_state::online: return "online";
    case phone_state::offline: return "offline";
    case phone_state::stale: return "stale";
    case phone_state::error: return "error";
  }
  return "error";
}

std::string phone_state_json(phone_state s, std::string_view reason) {
  std::string out = "\"state\":\"";
  out += to_string(s);
  out += '"';
  if (!reason.empty()) {
    out += ",\"reason\":\"";
    json::append_escaped(out, reason);
    out += '"';
  }
  return out;
}

std::string registrations_json(const std::vector<models::registration>& regs) {
  json::json_writer w;
  w.begin_array();
  for (const auto& r : regs) {
    w.begin_object()
      .member("id", r.id)
      .member("state", models::to_string(models::classify(r)))
      .member("number", r.number)
      .member("name", r.name)
      .member("gatekeeper", r.gatekeeper)
      .member("protocol", r.protocol)
      .member("error", r.error)
      .end_object();
  }
  w.end_array();
  return "\"regs\":" + w.take();
}

} // namespace mpk::session
