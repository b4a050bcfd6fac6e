// WireCheck and ReloadWire through the gateway: who may ask, what a malformed request gets, and
// the report of a live phone reached through the simulated Devices App.

#include "tests/e2e/sim_state.hpp"

#include <catch2/catch.hpp>

using namespace mpk::test;
using namespace std::chrono_literals;

namespace {

std::string error_of(ws_client& c, const std::string& request, const std::string& result_mt) {
  c.send_text(request);
  auto r = c.next_mt(result_mt, 130s);
  REQUIRE(r);
  return json_doc(*r).str("error");
}

} // namespace

TEST_CASE("wire check: operators get the report of a live phone, users are refused, bad requests get BAD_REQUEST") {
  product_fixture f;
  auto op = f.operator_client();
  std::string device, hw;
  REQUIRE(product_fixture::eventually(
    [&] {
      for (auto& [h, d] : list_all(*op))
        if (d.product == "IP222" && d.online && h <= "009033000030") {
          device = d.id;
          hw = h;
        }
      return !device.empty();
    },
    15s));

  op->send_text(R"({"mt":"WireCheck","src":"c1","device":")" + device +
                R"(","acts":[{"entry":"key","candidate":0,"key":"MENU"}]})");
  auto r = op->next_mt("WireCheckResult", 130s);
  REQUIRE(r);
  INFO(*r);
  json_doc d(*r);
  CHECK(d.str("error").empty());
  CHECK(r->find("\"src\":\"c1\"") != std::string::npos);
  simdjson::dom::element report;
  REQUIRE(!d.root["report"].get(report));
  CHECK(std::string_view(report["product"]) == "IP222");
  CHECK(std::string_view(report["device"]) == device);
  CHECK(std::string_view(report["via"]) == "passthrough");
  bool key_worked = false;
  for (auto e : report["entries"].get_array())
    if (std::string_view(e["entry"]) == "key")
      key_worked =
        std::string_view(e["candidates"].at(0)["result"]) == "works" && bool(e["candidates"].at(0)["visible"]);
  CHECK(key_worked);
  // The report never shows the passthrough URL or its key.
  CHECK(r->find("passthrough/") == std::string::npos);

  const std::string check = R"({"mt":"WireCheck","device":")" + device + "\"";
  CHECK(error_of(*op, R"({"mt":"WireCheck"})", "WireCheckResult") == "BAD_REQUEST");
  CHECK(error_of(*op, check + R"(,"acts":[{"entry":"key"}]})", "WireCheckResult") == "BAD_REQUEST");
  CHECK(error_of(*op, check + R"(,"acts":[{"entry":"touch","candidate":0,"key":"MENU"}]})", "WireCheckResult") ==
        "BAD_REQUEST");
  std::string many = check + R"(,"acts":[)";
  for (int i = 0; i < 17; ++i) many += std::string(i ? "," : "") + R"({"entry":"key","candidate":0,"key":"D1"})";
  CHECK(error_of(*op, many + "]}", "WireCheckResult") == "BAD_REQUEST");
  CHECK(error_of(*op, R"({"mt":"WireCheck","device":"nope:1"})", "WireCheckResult") == "UNKNOWN_DEVICE");
  // An act of an entry that never runs on request: the check runs and says why not.
  op->send_text(check + R"(,"acts":[{"entry":"command","candidate":0,"text":"reset"}]})");
  auto refused = op->next_mt("WireCheckResult", 30s);
  REQUIRE(refused);
  CHECK(refused->find("BAD_REQUEST") != std::string::npos);

  // ReloadWire: the built-in data again (no wire file configured), every node ok.
  op->send_text(R"({"mt":"ReloadWire","src":"r1"})");
  auto reload = op->next_mt("ReloadWireResult", 10s);
  REQUIRE(reload);
  INFO(*reload);
  CHECK(json_doc(*reload).boolean("ok") == true);
  CHECK(reload->find("\"origin\":\"built-in\"") != std::string::npos);

  // A myApps user who is not a trace admin may do neither.
  auto [user, login] = f.user_client("tenant1.example.com", "admin1");
  REQUIRE(user);
  CHECK(error_of(*user, check + "}", "WireCheckResult") == "FORBIDDEN");
  CHECK(error_of(*user, R"({"mt":"ReloadWire"})", "ReloadWireResult") == "FORBIDDEN");
}
