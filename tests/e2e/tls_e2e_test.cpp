// The product as a real site runs it, over TLS from end to end: PBX → gateway over wss, gateway →
// Devices App over wss and its passthrough over https, browser → gateway over wss, every
// certificate from the simulator's throw-away CA. An App Platform certificate the product does
// not trust (unknown CA, wrong host name, changed after a pin) is refused with the words an
// operator acts on; pinning its fingerprint from the status brings the link up.

#include "common/net/cert_text.hpp"
#include "tests/e2e/sim_state.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>

using namespace mpk;
using namespace mpk::test;
using namespace std::chrono_literals;

namespace {

/// The first devices-api link of GetStatus, as the status panel reads it.
struct link_view {
  std::string id, state, last_error, refused_cert, pinned;
};

link_view first_link(ws_client& op) {
  op.send_text(R"({"mt":"GetStatus","src":"s"})");
  auto r = op.next_mt("GetStatusResult", 10s);
  link_view v;
  if (!r) return v;
  json_doc d(*r);
  simdjson::dom::array links;
  if (d.root["devicesApi"].get(links) || links.size() == 0) return v;
  auto str = [&](const char* k) {
    std::string_view s;
    return links.at(0)[k].get(s) ? std::string() : std::string(s);
  };
  return {str("id"), str("state"), str("lastError"), str("refusedCert"), str("pinned")};
}

link_view wait_for_state(ws_client& op, const std::string& state) {
  link_view v;
  product_fixture::eventually([&] { return (v = first_link(op)).state == state; }, 20s);
  return v;
}

/// Watches the first online live phone and waits for one LCD frame: its screen came through the
/// passthrough (https here).
bool lcd_frame_arrives(product_fixture& f, ws_client& op) {
  std::set<std::string> live; // hwIds of the simulator's connected live phones
  json_doc state(f.control("GET", "/control/state").second);
  simdjson::dom::array phones;
  if (!state.root["livePhones"]["phones"].get(phones))
    for (auto p : phones) {
      std::string_view hw;
      bool connected = false;
      if (!p["hwId"].get(hw) && !p["connected"].get(connected) && connected) live.emplace(hw);
    }
  std::string device;
  product_fixture::eventually(
    [&] {
      for (auto& [hw, d] : list_all(op))
        if (d.online && live.count(hw)) device = d.id;
      return !device.empty();
    },
    15s);
  if (device.empty()) return false;
  op.send_text(R"({"mt":"Watch","src":"w","device":")" + device + "\"}");
  auto until = std::chrono::steady_clock::now() + 15s;
  while (std::chrono::steady_clock::now() < until)
    if (auto fr = op.next(500ms); fr && fr->binary && !fr->data.empty() && fr->data[0] == 'L') return true;
  return false;
}

product_options small_tls_site() {
  product_options o;
  o.tls = true;
  o.tenants = 1;
  o.devices = 100;
  o.domains = 2;
  o.live_phones = 4;
  return o;
}

} // namespace

TEST_CASE("tls: the spine over wss and https with the simulator's CA trusted: list, changes and LCD frames") {
  product_options o;
  o.tls = true;
  product_fixture f(o);
  REQUIRE(f.sim_http().rfind("https://", 0) == 0);
  REQUIRE(f.gateway_ws("x").rfind("wss://", 0) == 0);
  // The PBXs logged in over wss, and a myApps user's browser over wss sees its tenant's devices.
  auto [c, r] = f.user_client("tenant1.example.com", "admin1");
  REQUIRE(json_doc(r).boolean("ok") == true);
  std::map<std::string, sim_device> sim;
  CHECK(product_fixture::eventually(
    [&] {
      sim = sim_devices(f, "tenant1.example.com");
      auto listed = list_all(*c);
      if (sim.empty() || listed.size() != sim.size()) return false;
      for (auto& [hw, d] : sim)
        if (!listed.count(hw) || listed[hw].name != d.name || listed[hw].stale) return false;
      return true;
    },
    20s));
  // A change in the Devices App reaches the browser (devices-api pushes over wss).
  auto dom = sim_domain_id(f, "tenant1.example.com");
  REQUIRE(
    f.control(
       "POST", "/control/device",
       R"({"hwId":"0090330e7101","name":"TLS Added","domainId":)" + std::to_string(dom) +
         R"(,"product":"IP222","version":"13r3 sr1 [13.5710/131286/1300]","type":"PHONE","online":true,"ipv4":"10.9.9.8"})")
      .first == 200);
  CHECK(product_fixture::eventually([&] { return list_all(*c).count("0090330e7101") == 1; }, 10s));
  // The operator's status shows the link up, trusted by the CA (no pin).
  auto op = f.operator_client();
  auto link = wait_for_state(*op, "up");
  CHECK(link.state == "up");
  CHECK(link.pinned.empty());
  CHECK(link.refused_cert.empty());
  // A watched phone's screen comes through the https passthrough.
  CHECK(lcd_frame_arrives(f, *op));
}

TEST_CASE(
  "tls: an untrusted App Platform certificate is refused with subject and fingerprint, a pin from the status "
  "brings the link up, a changed certificate is refused loudly") {
  auto o = small_tls_site();
  o.trust_sim_ca = false;
  o.pin_file = true;
  product_fixture f(o);
  auto op = f.operator_client();
  auto served = f.tls->served();
  auto refused = wait_for_state(*op, "untrusted");
  INFO(refused.last_error);
  CHECK(refused.state == "untrusted");
  CHECK(refused.last_error.find("certificate not trusted: " + served.subject + ", SHA-256 fingerprint " +
                                net::fingerprint_display(served.fingerprint)) != std::string::npos);
  CHECK(refused.refused_cert == served.fingerprint);
  CHECK(list_all(*op).empty()); // nothing loaded through a connection that was never made

  // Only an operator may trust a certificate.
  auto [user, r] = f.user_client("tenant1.example.com", "admin1");
  REQUIRE(json_doc(r).boolean("ok") == true);
  user->send_text(R"({"mt":"PinCertificate","src":"p","link":")" + refused.id + R"(","fingerprint":")" +
                  served.fingerprint + "\"}");
  auto forbidden = user->next_mt("PinCertificateResult");
  REQUIRE(forbidden);
  CHECK(json_doc(*forbidden).str("error") == "FORBIDDEN");
  // A fingerprint that is none changes nothing.
  op->send_text(R"({"mt":"PinCertificate","src":"p","link":")" + refused.id + R"(","fingerprint":"12:34"})");
  auto bad = op->next_mt("PinCertificateResult");
  REQUIRE(bad);
  CHECK(json_doc(*bad).str("error") == "BAD_REQUEST");

  // The operator's action: the pin is written to the pin file and the link comes up without tls.insecure.
  op->send_text(R"({"mt":"PinCertificate","src":"p","link":")" + refused.id + R"(","fingerprint":")" +
                served.fingerprint + "\"}");
  auto pinned = op->next_mt("PinCertificateResult");
  REQUIRE(pinned);
  INFO(*pinned);
  CHECK(json_doc(*pinned).str("error").empty());
  std::ifstream file(f.pin_path);
  std::stringstream text;
  text << file.rdbuf();
  CHECK(text.str().find(refused.id + " = sha256/" + served.fingerprint) != std::string::npos);
  auto up = wait_for_state(*op, "up");
  CHECK(up.state == "up");
  CHECK(up.pinned == "sha256/" + served.fingerprint);
  CHECK(product_fixture::eventually([&] { return !list_all(*op).empty(); }, 10s));
  // The passthrough to the same App Platform trusts the same pin.
  CHECK(lcd_frame_arrives(f, *op));

  // The App Platform gets a new certificate (same CA): after the next reconnect the pin refuses it.
  std::string err;
  REQUIRE(f.tls->renew(err));
  REQUIRE(f.control("POST", "/control/tls/renew").first == 200);
  REQUIRE(f.control("POST", "/control/devices/restart?instance=devices&down_ms=0").first == 200);
  auto changed = wait_for_state(*op, "untrusted");
  INFO(changed.last_error);
  CHECK(changed.last_error.find("certificate does not match the pinned fingerprint: " + f.tls->served().subject +
                                ", SHA-256 fingerprint " + net::fingerprint_display(f.tls->served().fingerprint)) !=
        std::string::npos);
  CHECK(changed.last_error.find("(pinned " + net::fingerprint_display(served.fingerprint) + ")") != std::string::npos);
  CHECK(changed.refused_cert == f.tls->served().fingerprint);
}

TEST_CASE("tls: an App Platform certificate for another host name is refused although its CA is trusted") {
  auto o = small_tls_site();
  o.live_phones = 0; // the phones would meet the same wrong name
  o.sim_cert_names = "devices.wrong.example";
  product_fixture f(o);
  auto op = f.operator_client();
  auto refused = wait_for_state(*op, "untrusted");
  INFO(refused.last_error);
  CHECK(refused.last_error.find(
          "certificate not valid for this host name 127.0.0.1: CN=devices.wrong.example, SHA-256 fingerprint " +
          net::fingerprint_display(f.tls->served().fingerprint)) != std::string::npos);
}
