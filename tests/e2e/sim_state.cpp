#include "tests/e2e/sim_state.hpp"

#include <catch2/catch.hpp>

namespace mpk::test {

std::int64_t sim_domain_id(product_fixture& f, const std::string& name) {
  auto [status, body] = f.control("GET", "/control/domains?instance=devices");
  INFO(body.substr(0, 200));
  REQUIRE(status == 200);
  json_doc d(body);
  REQUIRE(d.ok);
  for (auto dom : d.root.get_array()) {
    std::string_view n;
    std::int64_t id = 0;
    if (!dom["name"].get(n) && n == name && !dom["id"].get(id)) return id;
  }
  return 0;
}

std::map<std::string, sim_device> sim_devices(product_fixture& f, const std::string& domain) {
  std::int64_t only = domain.empty() ? 0 : sim_domain_id(f, domain);
  auto [status, body] = f.control("GET", "/control/devices?instance=devices");
  INFO(body.substr(0, 200));
  REQUIRE(status == 200);
  json_doc d(body);
  REQUIRE(d.ok);
  std::map<std::string, sim_device> out;
  for (auto dev : d.root.get_array()) {
    sim_device s;
    auto str = [&](const char* k) {
      std::string_view v;
      return dev[k].get(v) ? std::string() : std::string(v);
    };
    if (dev["id"].get(s.id)) continue;
    if (dev["domainId"].get(s.domain_id)) s.domain_id = 0;
    s.hw_id = str("hwId");
    s.name = str("name");
    s.product = str("product");
    s.version = str("version");
    s.type = str("type");
    bool b = false;
    s.online = !dev["online"].get(b) && b;
    simdjson::dom::array ifs;
    if (!dev["ethIfs"].get(ifs))
      for (auto i : ifs) {
        std::string_view ip;
        if (!i["ipv4"].get(ip)) {
          s.ip = std::string(ip);
          break;
        }
      }
    if (only && s.domain_id != only) continue;
    if (!s.domain_id) continue; // unassigned devices are in no one's list
    out[s.hw_id] = s;
  }
  return out;
}

} // namespace mpk::test
