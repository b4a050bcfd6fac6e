#include "bench/sim_state.hpp"

#include "bench/http_call.hpp"

#include <simdjson.h>

namespace mpk::bench {

namespace {

/// Calls `read` with the first instance of /control/state; false when there is none to read.
template <class Read>
bool with_first_instance(const std::string& base, Read&& read) {
  auto r = http_call("GET", base + "/control/state");
  if (!r || r->status != 200) return false;
  simdjson::dom::parser p;
  simdjson::dom::element doc;
  simdjson::dom::array insts;
  if (p.parse(r->body).get(doc) || doc["instances"].get(insts) || insts.size() == 0) return false;
  return read(insts.at(0));
}

} // namespace

std::optional<sim_instance> read_sim(const std::string& base) {
  sim_instance s;
  bool ok = with_first_instance(base, [&](simdjson::dom::element i) {
    std::string_view domain, path, password;
    std::int64_t devices = 0, unassigned = 0;
    if (i["domain"].get(domain) || i["path"].get(path) || i["password"].get(password) ||
        i["devices"].get(devices) || i["unassigned"].get(unassigned))
      return false;
    s.domain = domain;
    s.path = path;
    s.password = password;
    s.assigned = static_cast<std::uint64_t>(devices - unassigned);
    return true;
  });
  if (!ok) return std::nullopt;
  return s;
}

double sim_instance_number(const std::string& base, const char* name) {
  std::int64_t v = -1;
  bool ok = with_first_instance(base, [&](simdjson::dom::element i) { return !i[name].get(v); });
  return ok ? static_cast<double>(v) : -1;
}

std::string devices_api_url(const std::string& base, const sim_instance& s) {
  return "ws" + base.substr(4) + s.path + "/innovaphone-devices-api";
}

} // namespace mpk::bench
