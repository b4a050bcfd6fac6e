// Issue 9: a devices-api that answers GetDevices with garbage, or stops half way through a chunked
// list (staying silent, or closing), against the whole product. The registry must report a link
// error that says what happened, keep the last complete list (no half list applied), reconnect
// with backoff, and converge to the simulator's list once the fault is cleared.

#include "tests/e2e/sim_state.hpp"

#include <catch2/catch.hpp>

using namespace mpk::test;
using namespace std::chrono_literals;

namespace {

const std::string tenant = "tenant1.example.com";

struct link_status {
  std::string state, last_error;
  std::int64_t reconnects = 0, devices = 0;
};

/// The tenant's devices-api link as GetStatus reports it to the operator.
link_status status_of(ws_client& op) {
  op.send_text(R"({"mt":"GetStatus","src":"st"})");
  auto r = op.next_mt("GetStatusResult", 10s);
  REQUIRE(r);
  json_doc d(*r);
  simdjson::dom::array links;
  REQUIRE(!d.root["devicesApi"].get(links));
  for (auto l : links) {
    std::string_view t, state, error;
    if (l["tenant"].get(t) || t != tenant) continue;
    link_status s;
    if (!l["state"].get(state)) s.state = std::string(state);
    if (!l["lastError"].get(error)) s.last_error = std::string(error);
    if (l["reconnects"].get(s.reconnects)) s.reconnects = -1;
    if (l["devices"].get(s.devices)) s.devices = -1;
    return s;
  }
  FAIL("no devices-api link of " << tenant << " in " << *r);
  return {};
}

/// hwId → name of every device the user lists; only when all of them are `stale` (or none is).
std::map<std::string, std::string> names(const std::map<std::string, listed_device>& l) {
  std::map<std::string, std::string> out;
  for (auto& [hw, d] : l) out[hw] = d.name;
  return out;
}

bool all_stale(const std::map<std::string, listed_device>& l) {
  return std::all_of(l.begin(), l.end(), [](auto& kv) { return kv.second.stale; });
}

bool matches_sim(const std::map<std::string, listed_device>& l, const std::map<std::string, sim_device>& sim) {
  if (l.size() != sim.size()) return false;
  for (auto& [hw, s] : sim) {
    auto it = l.find(hw);
    if (it == l.end() || it->second.stale || it->second.name != s.name) return false;
  }
  return true;
}

} // namespace

TEST_CASE("devices fault: garbage or half a chunked list keeps the last good list and converges after") {
  product_options o;
  o.devices = 600;
  o.domains = 6;
  o.chunk_size = 40; // tenant 1's list comes in several chunks, so "half" stops between two of them
  o.link_phase_timeout = 1500ms;
  product_fixture f(o);
  auto op = f.operator_client();
  auto [user, r] = f.user_client(tenant, "admin1");
  REQUIRE(json_doc(r).boolean("ok") == true);
  std::map<std::string, listed_device> good;
  REQUIRE(
    product_fixture::eventually([&] { return matches_sim(good = list_all(*user), sim_devices(f, tenant)); }, 20s));
  REQUIRE(good.size() > o.chunk_size);

  // What the link error must say: how the attempt ended, and what the Devices App had sent.
  struct fault {
    const char* list;
    const char* ended;
    const char* sent;
  };
  for (auto [list, ended, sent] :
       {fault{"garbage", "no answer", "last frame ignored"},
        fault{"half", "no answer", "devices received, no last chunk; nothing applied"},
        fault{"cut", "connection closed", "devices received, no last chunk; nothing applied"}}) {
    INFO("fault " << list);
    REQUIRE(f.control("POST", std::string("/control/devices/fault?instance=devices&list=") + list).first == 200);
    // The instance restarts with changes: every reload from now on meets the fault.
    auto before = status_of(*op);
    REQUIRE(f.control("POST", "/control/devices/restart?instance=devices&down_ms=0&change=12").first == 200);

    // A clear link error, and attempts that go on (with backoff) while the fault lasts.
    link_status failing;
    CHECK(product_fixture::eventually(
      [&] {
        failing = status_of(*op);
        return failing.state != "up" && failing.last_error.find(ended) != std::string::npos &&
               failing.last_error.find(sent) != std::string::npos && failing.reconnects >= before.reconnects + 2;
      },
      30s));
    INFO("state " << failing.state << ", lastError " << failing.last_error << ", reconnects " << failing.reconnects);
    CHECK(failing.state != "up");
    CHECK(failing.last_error.find(ended) != std::string::npos);
    CHECK(failing.last_error.find(sent) != std::string::npos);

    // The last complete list stays, marked stale once the stale grace period is over (it counts
    // from the first drop; failing reloads cannot postpone it): no device of a half list was
    // applied or removed.
    std::map<std::string, listed_device> during;
    CHECK(product_fixture::eventually([&] { return all_stale(during = list_all(*user)); }, 30s));
    CHECK(names(during) == names(good));
    CHECK(status_of(*op).devices == static_cast<std::int64_t>(good.size()));

    // Fault cleared: the next attempt loads the whole list, with the changes made meanwhile.
    REQUIRE(f.control("POST", "/control/devices/fault?instance=devices&list=none").first == 200);
    CHECK(
      product_fixture::eventually([&] { return matches_sim(good = list_all(*user), sim_devices(f, tenant)); }, 30s));
    CHECK(status_of(*op).state == "up");
  }
}

TEST_CASE("devices fault: the control switch refuses a mode it does not know") {
  product_fixture f;
  auto [status, body] = f.control("POST", "/control/devices/fault?list=sometimes");
  CHECK(status == 400);
  CHECK(body.find("none|garbage|half|cut") != std::string::npos);
  auto [s2, b2] = f.control("POST", "/control/devices/fault?instance=nope&list=half");
  CHECK(s2 == 404);
  // Nothing was switched: the state still shows the normal list.
  auto [s3, state] = f.control("GET", "/control/state");
  CHECK(s3 == 200);
  CHECK(state.find(R"("listFault":"none")") != std::string::npos);
}
