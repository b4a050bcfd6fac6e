// Issue 4 over the real spine: sim PBX → gateway → registry → sim Devices App → browser-side client.

#include "tests/e2e/sim_state.hpp"

#include <catch2/catch.hpp>

using namespace mpk::test;
using namespace std::chrono_literals;

namespace {

/// Waits until the client's full list has `n` devices (the registry loads in the background).
std::map<std::string, listed_device> wait_for_list(ws_client& c, std::size_t n) {
  std::map<std::string, listed_device> l;
  product_fixture::eventually([&] { return (l = list_all(c)).size() == n; }, 15s);
  return l;
}

bool same_as_sim(const std::map<std::string, listed_device>& listed, const std::map<std::string, sim_device>& sim) {
  if (listed.size() != sim.size()) return false;
  for (auto& [hw, s] : sim) {
    auto it = listed.find(hw);
    if (it == listed.end() || it->second.name != s.name || it->second.online != s.online || it->second.stale)
      return false;
  }
  return true;
}

/// Collects DevicesChanged frames for `window`, counting how often each hwId appears in each list.
struct change_counts {
  std::map<std::string, int> added, changed;
  std::map<std::string, int> removed; ///< by device id
};

change_counts collect_changes(ws_client& c, std::chrono::milliseconds window) {
  change_counts out;
  auto until = std::chrono::steady_clock::now() + window;
  while (std::chrono::steady_clock::now() < until) {
    auto f = c.next(100ms);
    if (!f || f->binary) continue;
    json_doc d(f->data);
    if (d.str("mt") != "DevicesChanged") continue;
    auto count = [&](const char* key, std::map<std::string, int>& into) {
      simdjson::dom::array a;
      if (d.root[key].get(a)) return;
      for (auto dev : a) {
        std::string_view hw;
        if (!dev["hwId"].get(hw)) into[std::string(hw)]++;
      }
    };
    count("added", out.added);
    count("changed", out.changed);
    simdjson::dom::array r;
    if (!d.root["removed"].get(r))
      for (auto id : r) {
        std::string_view s;
        if (!id.get(s)) out.removed[std::string(s)]++;
      }
  }
  return out;
}

} // namespace

TEST_CASE("spine: a PBX-issued user login sees exactly its own tenant's devices") {
  product_fixture f;
  auto [t1, r1] = f.user_client("tenant1.example.com", "admin1");
  REQUIRE(json_doc(r1).boolean("ok") == true);
  auto [t2, r2] = f.user_client("tenant2.example.com", "admin2");
  REQUIRE(json_doc(r2).boolean("ok") == true);
  // The simulated phones come online while the registry loads (slowly on a loaded machine): the
  // list must converge to the simulator's state, compared with a fresh reading of both each time.
  std::map<std::string, sim_device> sim1, sim2;
  std::map<std::string, listed_device> l1, l2;
  auto converged = [&](ws_client& c, const char* tenant, std::map<std::string, sim_device>& sim,
                       std::map<std::string, listed_device>& l) {
    return product_fixture::eventually(
      [&] {
        sim = sim_devices(f, tenant);
        l = list_all(c);
        return !sim.empty() && same_as_sim(l, sim);
      },
      15s);
  };
  CHECK(converged(*t1, "tenant1.example.com", sim1, l1));
  CHECK(converged(*t2, "tenant2.example.com", sim2, l2));
  REQUIRE(!l1.empty());
  REQUIRE(!l2.empty());
  for (auto& [hw, d] : l1) CHECK(l2.count(hw) == 0); // tenant isolation of the list
}

TEST_CASE("spine: an unlicensed user is refused, a wrong digest is refused") {
  product_fixture f;
  auto [guest, r] = f.user_client("tenant1.example.com", "guest1");
  json_doc d(r);
  CHECK(d.boolean("ok") == false);
  CHECK(d.str("error") == "UNLICENSED");

  std::string err;
  auto c = ws_client::open(f.io, f.gateway_ws("tenant1.example.com"), &err);
  REQUIRE(c);
  auto res = app_login(*c, "innovaphone-myphonekeys", "tenant1.example.com", "admin1", "not-the-password",
                       std::string(R"({"appobj":"myphonekeys","cn":"x"})"));
  CHECK(json_doc(res).boolean("ok") == false);
}

TEST_CASE("spine: added, changed and removed devices reach a subscribed client once each") {
  product_fixture f;
  auto [c, r] = f.user_client("tenant1.example.com", "admin1");
  REQUIRE(json_doc(r).boolean("ok") == true);
  auto sim1 = sim_devices(f, "tenant1.example.com");
  wait_for_list(*c, sim1.size());
  c->send_text(R"({"mt":"QueryDevices","src":"live","subscribe":true,"limit":10})");
  REQUIRE(c->next_mt("QueryDevicesResult"));
  auto dom = sim_domain_id(f, "tenant1.example.com");
  auto [s1, b1] = f.control(
    "POST", "/control/device",
    R"({"hwId":"0090330e2e01","name":"E2E Added","domainId":)" + std::to_string(dom) +
      R"(,"product":"IP222","version":"13r3 sr1 [13.5710/131286/1300]","type":"PHONE","online":true,"ipv4":"10.9.9.9"})");
  REQUIRE(s1 == 200);
  auto added = collect_changes(*c, 1500ms);
  CHECK(added.added["0090330e2e01"] == 1);
  auto id = json_doc(b1).integer("id").value_or(0);
  REQUIRE(id > 0);
  REQUIRE(f.control("POST", "/control/device", R"({"id":)" + std::to_string(id) + R"(,"name":"E2E Renamed"})").first ==
          200);
  auto changed = collect_changes(*c, 1500ms);
  CHECK(changed.changed["0090330e2e01"] == 1);
  CHECK(changed.added["0090330e2e01"] == 0);
  REQUIRE(f.control("DELETE", "/control/device?instance=devices&id=" + std::to_string(id)).first == 200);
  auto removed = collect_changes(*c, 1500ms);
  CHECK(removed.removed.size() == 1);
  for (auto& [dev, n] : removed.removed) CHECK(n == 1);
  CHECK(same_as_sim(list_all(*c), sim_devices(f, "tenant1.example.com")));
}

TEST_CASE("spine: a Devices App restart with changes while down converges to the simulator, no action needed") {
  product_fixture f;
  auto [c, r] = f.user_client("tenant1.example.com", "admin1");
  REQUIRE(json_doc(r).boolean("ok") == true);
  auto before = sim_devices(f, "tenant1.example.com");
  wait_for_list(*c, before.size());
  REQUIRE(f.control("POST", "/control/devices/restart?instance=devices&down_ms=2500&change=8").first == 200);
  // While the devices-api link is down, its devices stay listed, marked stale.
  CHECK(product_fixture::eventually(
    [&] {
      auto l = list_all(*c);
      return !l.empty() && std::all_of(l.begin(), l.end(), [](auto& kv) { return kv.second.stale; });
    },
    5s));
  // Back up: the product reconnects, logs in again through the PBX and reloads by itself.
  std::map<std::string, sim_device> now;
  CHECK(product_fixture::eventually(
    [&] {
      now = sim_devices(f, "tenant1.example.com");
      return same_as_sim(list_all(*c), now);
    },
    20s));
  // Both views stay live after the restart (the simulator's phones come back online one by one and
  // each change is pushed a moment later): compare again once nothing is in flight.
  CHECK(
    product_fixture::eventually([&] { return same_as_sim(list_all(*c), sim_devices(f, "tenant1.example.com")); }, 5s));
}

TEST_CASE("spine: a user cannot see, watch or control another tenant's device") {
  product_fixture f;
  auto op = f.operator_client();
  auto [c, r] = f.user_client("tenant1.example.com", "admin1");
  REQUIRE(json_doc(r).boolean("ok") == true);
  auto sim2 = sim_devices(f, "tenant2.example.com");
  REQUIRE(!sim2.empty());
  // Find the product's id of a tenant-2 device through the operator's view.
  std::string foreign;
  product_fixture::eventually(
    [&] {
      for (auto& [hw, d] : list_all(*op))
        if (sim2.count(hw)) foreign = d.id;
      return !foreign.empty();
    },
    15s);
  REQUIRE(!foreign.empty());
  for (auto mt : {"Watch", "Key", "Command", "OpenAdminUi"}) {
    c->send_text(std::string(R"({"mt":")") + mt + R"(","src":"x","device":")" + foreign +
                 R"(","key":"D1","command":"config write"})");
    auto res = c->next_mt(std::string(mt) + "Result");
    REQUIRE(res);
    json_doc d(*res);
    INFO(*res);
    CHECK(d.str("error") == "UNKNOWN_DEVICE"); // the same answer as for an id that does not exist
  }
  c->send_text(R"({"mt":"Watch","src":"x","device":"no-such-link:424242"})");
  auto unknown = c->next_mt("WatchResult");
  REQUIRE(unknown);
  CHECK(json_doc(*unknown).str("error") == "UNKNOWN_DEVICE");
  c->send_text(R"({"mt":"QueryDevices","src":"q","search":")" + sim2.begin()->second.hw_id + R"("})");
  auto q = c->next_mt("QueryDevicesResult");
  REQUIRE(q);
  CHECK(json_doc(*q).integer("total") == 0);
}
