// Issue 4 §5–6: trace flags at run time, "Log Service Connections", /healthz and /metrics.

#include "tests/e2e/sim_state.hpp"

#include "common/base/log.hpp"
#include "common/net/http_client.hpp"
#include "tests/support/fetch_and_wait.hpp"

#include <catch2/catch.hpp>

#include <future>

using namespace mpk::test;
using namespace std::chrono_literals;

namespace {

std::pair<int, std::string> http_get(product_fixture& f, const std::string& path) {
  mpk::net::http_fetch_request req;
  req.max_body_bytes = mpk::test::large_body_bytes;
  req.url = "http://127.0.0.1:" + std::to_string(f.gw->port()) + path;
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
  CHECK(product_fixture::eventually([&] { return hubs() == 2; }, 2s));  // other's and op's newest
  op->send_text(R"({"mt":"Unsubscribe","src":"u"})");
  REQUIRE(op->next_mt("UnsubscribeResult"));
  other->send_text(R"({"mt":"Unsubscribe","src":"u"})");
  REQUIRE(other->next_mt("UnsubscribeResult"));
  CHECK(product_fixture::eventually([&] { return hubs() == 0; }, 2s));
}
