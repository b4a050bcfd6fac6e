// Issue 5 through the gateway: a watched phone's state, registrations and LCD frames reach the
// browser-side client as valid frames; keys, commands and the audit log work end to end.

#include "tests/e2e/sim_state.hpp"

#include <catch2/catch.hpp>

#include <optional>

using namespace mpk::test;
using namespace std::chrono_literals;

namespace {

/// The product's id of the first live phone of `product` (live phones are the sim's first devices).
std::string live_phone_id(ws_client& c, const std::string& product) {
  std::string id;
  product_fixture::eventually(
    [&] {
      for (auto& [hw, d] : list_all(c))
        if (d.product == product && d.online && hw <= "009033000030") id = d.id;
      return !id.empty();
    },
    15s);
  return id;
}

} // namespace

TEST_CASE("phone: watching a phone delivers valid PhoneState, Registrations and LCD frames, keys change the screen") {
  product_fixture f;
  auto op = f.operator_client();
  auto device = live_phone_id(*op, "IP222");
  REQUIRE(!device.empty());
  op->send_text(R"({"mt":"Watch","src":"w","device":")" + device + "\"}");
  auto watch = op->next_mt("WatchResult", 10s);
  REQUIRE(watch);
  json_doc w(*watch);
  CHECK(w.str("family") == "IP2x2");
  CHECK(w.str("error").empty());

  bool state_online = false, regs = false;
  std::uint32_t seq = 0;
  std::string first_frame;
  auto until = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < until && (!state_online || !regs || first_frame.empty())) {
    auto fr = op->next(500ms);
    if (!fr) continue;
    if (fr->binary) {
      REQUIRE(fr->data.size() > 19);
      CHECK(fr->data[0] == 'L');
      seq = (std::uint8_t(fr->data[2]) << 24) | (std::uint8_t(fr->data[3]) << 16) | (std::uint8_t(fr->data[4]) << 8) |
            std::uint8_t(fr->data[5]);
      first_frame = fr->data;
      continue;
    }
    json_doc d(fr->data);
    INFO(fr->data);
    REQUIRE(d.ok); // every text frame is valid JSON
    if (d.str("mt") == "PhoneState") {
      CHECK(d.str("device") == device);
      CHECK(d.str("src") == "w");
      state_online = state_online || d.str("state") == "online";
    }
    if (d.str("mt") == "Registrations") {
      simdjson::dom::array a;
      regs = !d.root["regs"].get(a) && a.size() > 0;
    }
  }
  CHECK(state_online);
  CHECK(regs);
  REQUIRE(!first_frame.empty());

  // Ack, press a key: a changed frame follows.
  op->send_text(R"({"mt":"FrameAck","device":")" + device + R"(","seq":)" + std::to_string(seq) + "}");
  op->send_text(R"({"mt":"Key","src":"k","device":")" + device + R"(","key":"D5"})");
  // The changed frame may come before KeyResult (a poll already on its way sees the key's effect):
  // read every frame, not just the next KeyResult, or that frame would be dropped unacked.
  std::optional<std::string> key;
  bool changed = false;
  until = std::chrono::steady_clock::now() + 10s;
  while ((!changed || !key) && std::chrono::steady_clock::now() < until) {
    auto fr = op->next(500ms);
    if (!fr) continue;
    if (fr->binary)
      changed = changed || fr->data != first_frame;
    else if (json_doc(fr->data).str("mt") == "KeyResult")
      key = fr->data;
  }
  REQUIRE(key);
  CHECK(json_doc(*key).boolean("ok") == true);
  CHECK(changed);

  // A bad key id is refused and nothing reaches the phone; the audit log has the key press.
  op->send_text(R"({"mt":"Key","src":"k2","device":")" + device + R"(","key":"NOPE"})");
  auto bad = op->next_mt("KeyResult", 10s);
  REQUIRE(bad);
  CHECK(json_doc(*bad).str("error") == "BAD_KEY");
  op->send_text(R"({"mt":"GetAudit","src":"a","device":")" + device + R"("})");
  auto audit = op->next_mt("GetAuditResult", 10s);
  REQUIRE(audit);
  CHECK(audit->find("D5") != std::string::npos);
  CHECK(audit->find("\"sip\":\"admin\"") != std::string::npos);
}

TEST_CASE("phone: a command to an offline phone gets a clear OFFLINE error and reaches nothing") {
  product_fixture f;
  auto op = f.operator_client();
  auto device = live_phone_id(*op, "IP222");
  REQUIRE(!device.empty());
  std::string hw;
  for (auto& [h, d] : list_all(*op))
    if (d.id == device) hw = h;
  // Unplug the phone (its sysclient goes away); wait until the product lists it offline.
  REQUIRE(f.control("POST", "/control/phone/online?hwId=" + hw + "&online=false").first == 200);
  REQUIRE(product_fixture::eventually([&] { return !list_all(*op).at(hw).online; }, 10s));
  auto commands_before = f.control("GET", "/control/counters?hwId=" + hw).second;
  op->send_text(R"({"mt":"Command","src":"c","device":")" + device + R"(","command":"config write"})");
  auto r = op->next_mt("CommandResult", 10s);
  REQUIRE(r);
  json_doc d(*r);
  CHECK(d.boolean("ok") == false);
  CHECK(d.str("error") == "OFFLINE");
  CHECK(f.control("GET", "/control/counters?hwId=" + hw).second == commands_before);
}
