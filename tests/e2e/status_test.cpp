// Trace flags at run time, "Log Service Connections", /healthz and /metrics for their audiences, status by scope.

#include "tests/e2e/sim_state.hpp"

#include "common/base/log.hpp"
#include "common/net/http_client.hpp"
#include "tests/support/fetch_and_wait.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <future>

using namespace mpk::test;
using namespace std::chrono_literals;

namespace {

/// GET `path` on the admin listener (detailed /healthz, /metrics), or on the public port.
std::pair<int, std::string> http_get(product_fixture& f, const std::string& path, bool admin = true) {
  mpk::net::http_fetch_request req;
  req.max_body_bytes = mpk::test::large_body_bytes;
  req.url = "http://127.0.0.1:" + std::to_string(admin ? f.gw->admin_port() : f.gw->port()) + path;
  auto r = mpk::test::fetch_and_wait(f.io, req);
  return {r.status, r.body};
}

} // namespace

TEST_CASE("status: healthz, metrics, Log Service Connections and run-time trace flags") {
  product_fixture f;
  auto op = f.operator_client();
  REQUIRE(product_fixture::eventually([&] { return list_all(*op).size() > 0; }, 15s));

  auto [hs, health] = http_get(f, "/healthz");
  CHECK(hs == 200);
  json_doc h(health);
  CHECK(h.str("status") == "ok");
  CHECK(health.find("\"state\":\"up\"") != std::string::npos);
  // Anyone may ask the public port: the verdict and nothing else; no /metrics there.
  auto [ps, public_health] = http_get(f, "/healthz", false);
  CHECK(ps == 200);
  CHECK(public_health == R"({"status":"ok"})");
  CHECK(http_get(f, "/metrics", false).first == 404);

  auto [ms, metrics] = http_get(f, "/metrics");
  CHECK(ms == 200);
  CHECK(metrics.find("mpk_pbx_links{state=\"up\"} 2") != std::string::npos);
  CHECK(metrics.find("mpk_devices_api_links{state=\"up\"} 2") != std::string::npos);
  CHECK(metrics.find("# TYPE mpk_events_fanned_out_total counter") != std::string::npos);

  op->send_text(R"({"mt":"LogServiceConnections","src":"l"})");
  auto l = op->next_mt("LogServiceConnectionsResult", 10s);
  REQUIRE(l);
  json_doc ld(*l);
  simdjson::dom::array pbx, links;
  REQUIRE(!ld.root["pbx"].get(pbx));
  REQUIRE(!ld.root["devicesApi"].get(links));
  CHECK(pbx.size() == 2);
  CHECK(links.size() == 2);
  // What the PBX says of its licences on the link's login (info.lics, info.testmode), per PBX.
  for (auto p : pbx) {
    std::int64_t lics = -1;
    bool test_mode = true;
    CHECK(!p["lics"].get(lics));
    CHECK(lics == 25);
    CHECK(!p["testMode"].get(test_mode));
    CHECK_FALSE(test_mode);
  }

  op->send_text(R"({"mt":"SetTrace","src":"t","flags":{"appws":true,"app":true}})");
  auto t = op->next_mt("SetTraceResult");
  REQUIRE(t);
  CHECK(mpk::log::trace_enabled(mpk::log::category::appws));
  op->send_text(R"({"mt":"SetTrace","src":"t","flags":{"appws":false,"app":false}})");
  REQUIRE(op->next_mt("SetTraceResult"));
  CHECK_FALSE(mpk::log::trace_enabled(mpk::log::category::appws));
  op->send_text(R"({"mt":"SetTrace","src":"t","flags":{"nonsense":true}})");
  auto bad = op->next_mt("SetTraceResult");
  REQUIRE(bad);
  CHECK(json_doc(*bad).str("error") == "BAD_REQUEST");

  // A myApps user who is not a trace admin may not switch traces.
  auto [user, r] = f.user_client("tenant1.example.com", "admin1");
  REQUIRE(json_doc(r).boolean("ok") == true);
  user->send_text(R"({"mt":"SetTrace","src":"t","flags":{"appws":true}})");
  auto forbidden = user->next_mt("SetTraceResult");
  REQUIRE(forbidden);
  CHECK(json_doc(*forbidden).str("error") == "FORBIDDEN");
  CHECK_FALSE(mpk::log::trace_enabled(mpk::log::category::appws));
}

TEST_CASE("status: one delta hub per list filter, gone when its last browser left") {
  product_fixture f;
  auto op = f.operator_client();
  auto other = f.operator_client();
  REQUIRE(product_fixture::eventually([&] { return list_all(*op).size() > 0; }, 15s));
  auto hubs = [&] {
    auto [status, metrics] = http_get(f, "/metrics");
    auto at = metrics.find("\nmpk_delta_hubs ");
    return at == std::string::npos ? -1 : std::stoi(metrics.substr(at + 16));
  };
  CHECK(hubs() == 0);
  // Two browsers with the same filter share one hub; a third filter gets its own.
  op->send_text(R"({"mt":"QueryDevices","src":"a","subscribe":true,"search":"ip"})");
  REQUIRE(op->next_mt("QueryDevicesResult"));
  other->send_text(R"({"mt":"QueryDevices","src":"b","subscribe":true,"search":"ip"})");
  REQUIRE(other->next_mt("QueryDevicesResult"));
  CHECK(hubs() == 1);
  // A browser asking for ever new filters leaves each old hub behind: none of them stays.
  for (int i = 0; i < 20; ++i) {
    op->send_text(R"({"mt":"QueryDevices","src":"a","subscribe":true,"search":"term)" + std::to_string(i) + "\"}");
    REQUIRE(op->next_mt("QueryDevicesResult"));
  }
  // At once, not after some linger: an idle hub would still hold a registry subscription.
  CHECK(product_fixture::eventually([&] { return hubs() == 2; }, 2s)); // other's and op's newest
  op->send_text(R"({"mt":"Unsubscribe","src":"u"})");
  REQUIRE(op->next_mt("UnsubscribeResult"));
  other->send_text(R"({"mt":"Unsubscribe","src":"u"})");
  REQUIRE(other->next_mt("UnsubscribeResult"));
  CHECK(product_fixture::eventually([&] { return hubs() == 0; }, 2s));
}

TEST_CASE(
  "status: a tenant's user sees nothing of another tenant, an operator sees both and the shared-password warning") {
  product_fixture f; // two tenants on one shared App object password
  auto op = f.operator_client();
  std::map<std::string, listed_device> all;
  REQUIRE(product_fixture::eventually(
    [&] {
      all = list_all(*op);
      return std::any_of(all.begin(), all.end(),
                         [](auto& e) { return e.second.domain_name == "tenant2.example.com" && e.second.online; });
    },
    20s));
  // The operator watches a phone of tenant 2: a phone session of tenant 2 exists.
  std::string t2_device;
  for (auto& [hw, d] : all)
    if (d.domain_name == "tenant2.example.com" && d.online) t2_device = d.id;
  op->send_text(R"({"mt":"Watch","src":"w","device":")" + t2_device + "\"}");
  REQUIRE(op->next_mt("WatchResult", 10s));

  auto status_of = [](mpk::test::ws_client& c) {
    c.send_text(R"({"mt":"GetStatus","src":"st"})");
    auto s = c.next_mt("GetStatusResult", 10s);
    REQUIRE(s);
    return *s;
  };
  std::string op_status;
  REQUIRE(product_fixture::eventually([&] { return (op_status = status_of(*op)).find(t2_device) != std::string::npos; },
                                      10s));
  CHECK(op_status.find("tenant1.example.com") != std::string::npos);
  CHECK(op_status.find("tenant2.example.com") != std::string::npos);
  json_doc od(op_status);
  simdjson::dom::array warnings;
  REQUIRE(!od.root["warnings"].get(warnings));
  CHECK(warnings.size() == 1); // two tenants up on the shared password

  auto [user, r] = f.user_client("tenant1.example.com", "admin1");
  REQUIRE(json_doc(r).boolean("ok") == true);
  for (const char* mt : {"GetStatus", "LogServiceConnections"}) {
    user->send_text(std::string(R"({"mt":")") + mt + R"(","src":"st"})");
    auto s = user->next_mt(std::string(mt) + "Result", 10s);
    REQUIRE(s);
    INFO(*s);
    CHECK(s->find("tenant1.example.com") != std::string::npos);
    CHECK(s->find("tenant2") == std::string::npos); // no name, URL or device id of tenant 2
    CHECK(s->find(t2_device) == std::string::npos);
    json_doc ud(*s);
    REQUIRE(!ud.root["warnings"].get(warnings));
    CHECK(warnings.size() == 0);
  }
}
