#include "bench/sim_state.hpp"

#include "bench/http_call.hpp"

#include <simdjson.h>

namespace mpk::bench {

std::optional<sim_instance> read_sim(const std::string& base) {
  auto r = http_call("GET", base + "/control/state");
  if (!r || r->status != 200) return std::nullopt;
  simdjson::dom::parser p;
  simdjson::dom::element doc;
  if (p.parse(r->body).get(doc)) return std::nullopt;
  simdjson::dom::array insts;
  if (doc["instances"].get(insts) || insts.size() == 0) return std::nullopt;
  auto i = insts.at(0);
  sim_instance s;
  std::string_view v;
  std::int64_t devices = 0, unassigned = 0;
  if (i["domain"].get(v)) return std::nullopt;
  s.domain = v;
  if (i["path"].get(v)) return std::nullopt;
  s.path = v;
  if (i["password"].get(v)) return std::nullopt;
  s.password = v;
  if (i["devices"].get(devices) || i["unassigned"].get(unassigned)) return std::nullopt;
  s.assigned = static_cast<std::uint64_t>(devices - unassigned);
  return s;
}

std::string devices_api_url(const std::string& base, const sim_instance& s) {
  return "ws" + base.substr(4) + s.path + "/innovaphone-devices-api";
}

} // namespace mpk::bench
