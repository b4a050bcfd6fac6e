#include "bench/sim_state.hpp"

#include "bench/http_call.hpp"

#include <simdjson.h>

namespace mpk::bench {

namespace {

/// Calls `read` with the instances of /control/state; false when there are none to read.
template <class Read>
bool with_instances(const std::string& base, Read&& read) {
  auto r = http_call("GET", base + "/control/state");
  if (!r || r->status != 200) return false;
  simdjson::dom::parser p;
  simdjson::dom::element doc;
  simdjson::dom::array insts;
  if (p.parse(r->body).get(doc) || doc["instances"].get(insts) || insts.size() == 0) return false;
  return read(insts);
}

/// Calls `read` with the first instance of /control/state; false when there is none to read.
template <class Read>
bool with_first_instance(const std::string& base, Read&& read) {
  return with_instances(base, [&](simdjson::dom::array insts) { return read(insts.at(0)); });
}

/// One instance of /control/state; false when a member is missing.
bool read_instance(simdjson::dom::element i, sim_instance& s) {
  std::string_view name, domain, path, password;
  std::int64_t devices = 0, unassigned = 0;
  if (i["name"].get(name) || i["domain"].get(domain) || i["path"].get(path) || i["password"].get(password) ||
      i["devices"].get(devices) || i["unassigned"].get(unassigned))
    return false;
  s.name = name;
  s.domain = domain;
  s.path = path;
  s.password = password;
  s.assigned = static_cast<std::uint64_t>(devices - unassigned);
  return true;
}

} // namespace

std::optional<sim_instance> read_sim(const std::string& base) {
  sim_instance s;
  if (!with_first_instance(base, [&](simdjson::dom::element i) { return read_instance(i, s); })) return std::nullopt;
  return s;
}

std::vector<sim_instance> read_sim_instances(const std::string& base) {
  std::vector<sim_instance> out;
  bool ok = with_instances(base, [&](simdjson::dom::array insts) {
    for (auto i : insts)
      if (!read_instance(i, out.emplace_back())) return false;
    return true;
  });
  if (!ok) out.clear();
  return out;
}

double sim_instance_number(const std::string& base, const char* name) {
  std::int64_t v = -1;
  bool ok = with_first_instance(base, [&](simdjson::dom::element i) { return !i[name].get(v); });
  return ok ? static_cast<double>(v) : -1;
}

std::string devices_api_url(const std::string& base, const sim_instance& s) {
  return "ws" + base.substr(4) + s.path + "/innovaphone-devices-api";
}

std::string devices_api_service(const sim_instance& s) {
  return s.name == "devices" ? std::string("devices-api") : "devices-api-" + s.name;
}

} // namespace mpk::bench
