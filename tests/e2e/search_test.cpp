// Issue 4: server-side search and filters at 100,000 devices, checked against the simulator's own list.

#include "tests/e2e/sim_state.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>

using namespace mpk::test;
using namespace std::chrono_literals;

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string mixed_case(std::string s) {
  for (std::size_t i = 0; i < s.size(); ++i)
    s[i] = static_cast<char>(i % 2 ? std::toupper(static_cast<unsigned char>(s[i]))
                                   : std::tolower(static_cast<unsigned char>(s[i])));
  return s;
}

bool matches(const sim_device& d, const std::string& term) {
  auto t = lower(term);
  for (auto* field : {&d.name, &d.product, &d.ip, &d.hw_id, &d.version})
    if (lower(*field).find(t) != std::string::npos) return true;
  return false;
}

/// One query as the browser sends it; returns total and the hwIds of the page.
std::pair<std::uint64_t, std::vector<std::string>> query(ws_client& c, const std::string& members) {
  c.send_text(R"({"mt":"QueryDevices","src":"s","limit":100)" + members + "}");
  auto r = c.next_mt("QueryDevicesResult", 10s);
  REQUIRE(r);
  json_doc d(*r);
  std::vector<std::string> hw;
  simdjson::dom::array devices;
  if (!d.root["devices"].get(devices))
    for (auto dev : devices) {
      std::string_view h;
      if (!dev["hwId"].get(h)) hw.emplace_back(h);
    }
  return {static_cast<std::uint64_t>(d.integer("total").value_or(0)), hw};
}

std::string json_string(const std::string& s) { return "\"" + s + "\""; }

} // namespace

TEST_CASE("search: each of the five fields, case-insensitive, and the domain/online filters at 100,000 devices") {
  product_options o;
  o.tenants = 1;
  o.admin_tenant = true; // the hosting PBX: an admin login on every domain
  o.devices = 100000;
  o.domains = 1000;
  o.live_phones = 0;
  product_fixture f(o);
  auto op = f.operator_client();
  auto sim = sim_devices(f);
  REQUIRE(sim.size() > 95000);
  // Wait for the registry to hold them all.
  REQUIRE(product_fixture::eventually([&] { return query(*op, "").first == sim.size(); }, 60s));

  // A sample device gives a term for each field.
  auto& sample = std::next(sim.begin(), static_cast<long>(sim.size() / 3))->second;
  std::vector<std::pair<const char*, std::string>> terms{
    {"name", sample.name},           {"device type", sample.product},           {"IP", sample.ip},
    {"MAC", sample.hw_id.substr(4)}, {"firmware", sample.version.substr(0, 9)},
  };
  for (auto& [field, term] : terms) {
    INFO(field << ": " << term);
    REQUIRE(!term.empty());
    std::uint64_t expected = 0;
    for (auto& [hw, d] : sim) expected += matches(d, term) ? 1 : 0;
    auto [total, page] = query(*op, ",\"search\":" + json_string(mixed_case(term)));
    CHECK(total == expected);
    CHECK(page.size() == std::min<std::uint64_t>(100, expected));
    for (auto& hw : page) CHECK(matches(sim.at(hw), term));
    if (std::string(field) != "IP" && std::string(field) != "firmware") {
      // The sample itself is among the results of a search for its own name/type/MAC.
      bool found = false;
      for (std::uint64_t offset = 0; offset < total && !found; offset += 100) {
        auto [t, p] = query(*op, ",\"search\":" + json_string(term) + ",\"offset\":" + std::to_string(offset));
        found = std::find(p.begin(), p.end(), sample.hw_id) != p.end();
      }
      CHECK(found);
    }
  }
  // A MAC typed with separators finds the device too.
  std::string with_colons;
  for (std::size_t i = 0; i < sample.hw_id.size(); i += 2) with_colons += (i ? ":" : "") + sample.hw_id.substr(i, 2);
  auto [mac_total, mac_page] = query(*op, ",\"search\":" + json_string(mixed_case(with_colons)));
  CHECK(mac_total == 1);
  CHECK(mac_page == std::vector<std::string>{sample.hw_id});

  // Online filter.
  std::uint64_t online = 0;
  for (auto& [hw, d] : sim) online += d.online ? 1 : 0;
  CHECK(query(*op, ",\"online\":true").first == online);
  CHECK(query(*op, ",\"online\":false").first == sim.size() - online);

  // Domain filter: the domain ids come from GetDomains.
  op->send_text(R"({"mt":"GetDomains","src":"d"})");
  auto doms = op->next_mt("GetDomainsResult", 10s);
  REQUIRE(doms);
  json_doc dd(*doms);
  simdjson::dom::array arr;
  REQUIRE(!dd.root["domains"].get(arr));
  std::string domain_id, domain_name;
  for (auto d : arr) {
    std::string_view id, name;
    if (!d["id"].get(id) && !d["name"].get(name) && name == "dom7.example.com") {
      domain_id = std::string(id);
      domain_name = std::string(name);
    }
  }
  REQUIRE(!domain_id.empty());
  auto dom_num = sim_domain_id(f, domain_name);
  std::uint64_t in_domain = 0, in_domain_online = 0;
  for (auto& [hw, d] : sim)
    if (d.domain_id == dom_num) {
      ++in_domain;
      in_domain_online += d.online ? 1 : 0;
    }
  CHECK(query(*op, ",\"domain\":" + json_string(domain_id)).first == in_domain);
  CHECK(query(*op, ",\"domain\":" + json_string(domain_id) + ",\"online\":true").first == in_domain_online);
}
