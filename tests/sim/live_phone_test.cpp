// Live sysclient phones against the simulated Devices App (docs/spec/devices-api.md §5).

#include "tests/sim/live_fixture.hpp"

#include "common/crypto/sysclient_crypto.hpp"
#include "common/sysclient/codec.hpp"

#include <catch2/catch.hpp>

using namespace mpk;
using namespace mpk::test;

namespace {

sim::population_options live_population(std::size_t live, std::size_t tenants = 2) {
  sim::population_options po;
  po.seed = 7;
  po.devices = 200;
  po.domains = 6;
  po.live_phones = live;
  po.tenants = tenants;
  po.supported = catalog_products();
  po.unsupported = {"IP150", "IP61"};
  return po;
}

std::string identify_json(const std::string& id, const std::string& product, const std::string& version,
                          const std::string& digest = {}, const std::string& code = {}) {
  std::string s = R"({"id":")" + id + R"(","product":")" + product + R"(","version":")" + version +
                  R"(","platform":{"type":"PHONE"},"ethIfs":[{"if":"ETH0","ipv4":"192.0.2.9"}])";
  if (!digest.empty()) s += R"(,"digest":")" + digest + "\"";
  if (!code.empty()) s += R"(,"provisioningCode":")" + code + "\"";
  return s + "}";
}

std::string admin(sysclient::admin_type t, const std::string& json) {
  return sysclient::encode(sysclient::admin_message{static_cast<std::uint16_t>(t), json});
}

/// The next admin message of type `t` from a raw sysclient socket.
std::optional<std::string> next_admin(ws_client& ws, sysclient::admin_type t) {
  for (;;) {
    auto f = ws.next(5s);
    if (!f) return std::nullopt;
    auto d = sysclient::decode(f->data);
    if (!d.msg) continue;
    if (auto* a = std::get_if<sysclient::admin_message>(&*d.msg))
      if (a->type == static_cast<std::uint16_t>(t)) return a->json;
  }
}

} // namespace

TEST_CASE("live: phones answer the sysclient challenge and go online") {
  live_fixture fx(live_population(15));
  REQUIRE(fx.pop.live.size() == 15);
  CHECK(fx.all_online());
  CHECK(fx.fleet.connected() == 15);
  // Every supported model family is among the live phones.
  std::set<std::string> families;
  for (auto& s : fx.pop.live) families.insert(s.family);
  std::set<std::string> all;
  for (auto& p : catalog_products()) all.insert(p.family);
  CHECK(families == all);
  // Phones in a domain that deploys admin passwords decrypted the 0x0003 password.
  for (auto& s : fx.pop.live) {
    auto dom = fx.inst(s.instance)->domain_by_name(s.domain_name);
    REQUIRE(dom);
    if (dom->deploy_admin_passwords) {
      // The Devices App marks the phone online before the 0x0003 frame reaches it: wait for the frame.
      auto phone = fx.fleet.find(s.hw_id);
      CHECK(eventually([&] { return phone->admin_password() == dom->admin_password; }));
    }
  }
}

TEST_CASE("live: the Devices App accepts the §5.3 digest and refuses a wrong one") {
  live_fixture fx(live_population(0));
  auto inst = fx.inst();
  // A device of the DB that is in a domain: take its stored sysclient password.
  std::optional<sim::device_record> dev;
  for (auto& d : inst->devices())
    if (d.domain_id != 0 && !d.sysclient_password.empty() && !d.live) {
      dev = d;
      break;
    }
  REQUIRE(dev);

  SECTION("right password") {
    inst->set_online_flag(dev->hw_id, false); // the seed may have flagged it online: wait for the real link
    auto ws = ws_client::open(fx.rt, fx.sysclient_url());
    REQUIRE(ws);
    ws->send_binary(admin(sysclient::admin_type::identify, identify_json(dev->hw_id, dev->product, dev->version)));
    auto ch = next_admin(*ws, sysclient::admin_type::challenge);
    REQUIRE(ch);
    auto challenge = json_doc(*ch).str("challenge");
    REQUIRE_FALSE(challenge.empty());
    auto digest = crypto::sysclient_digest(dev->hw_id, dev->product, dev->version, challenge, dev->sysclient_password);
    ws->send_binary(
      admin(sysclient::admin_type::identify, identify_json(dev->hw_id, dev->product, dev->version, digest)));
    CHECK(eventually([&] { return inst->device_by_hw(dev->hw_id)->online; }));
    // The identify's interface list replaced the stored one.
    CHECK(inst->device_by_hw(dev->hw_id)->eth_ifs.at(0).ipv4 == "192.0.2.9");
    ws->close();
    CHECK(eventually([&] { return !inst->device_by_hw(dev->hw_id)->online; }));
  }
  SECTION("wrong password") {
    inst->set_online_flag(dev->hw_id, false);
    auto ws = ws_client::open(fx.rt, fx.sysclient_url());
    REQUIRE(ws);
    ws->send_binary(admin(sysclient::admin_type::identify, identify_json(dev->hw_id, dev->product, dev->version)));
    auto ch = next_admin(*ws, sysclient::admin_type::challenge);
    REQUIRE(ch);
    auto digest = crypto::sysclient_digest(dev->hw_id, dev->product, dev->version, json_doc(*ch).str("challenge"),
                                           "0123456789abcdef0123456789abcdef");
    ws->send_binary(
      admin(sysclient::admin_type::identify, identify_json(dev->hw_id, dev->product, dev->version, digest)));
    CHECK(ws->wait_closed());
    CHECK_FALSE(inst->device_by_hw(dev->hw_id)->online);
  }
}

TEST_CASE("live: a live phone with a wrong stored password never gets online") {
  live_fixture fx(live_population(1, 1));
  REQUIRE(fx.all_online());
  auto& s = fx.pop.live.at(0);
  // A second phone claims to be another DB device of the same domain but holds a wrong password.
  std::optional<sim::device_record> victim;
  for (auto& d : fx.inst(s.instance)->devices())
    if (d.domain_id == s.domain_id && !d.live) {
      victim = d;
      break;
    }
  REQUIRE(victim);
  fx.inst(s.instance)->set_online_flag(victim->hw_id, false);
  sim_phone::phone_identity id{victim->hw_id, "IP222", "13r3 sr8 [13.B030/131286/1300]", "Impostor", "10.9.9.9", "999"};
  sim::live_phone_options lo;
  lo.url = fx.sysclient_url(s.instance);
  std::string err;
  auto impostor = fx.fleet.add(test_catalog(), id, "ffffffffffffffffffffffffffffffff", lo, {}, err);
  REQUIRE(impostor);
  impostor->start();
  CHECK(eventually([&] { return impostor->connects() >= 2; })); // refused, retried with backoff
  CHECK_FALSE(fx.inst(s.instance)->device_by_hw(victim->hw_id)->online);
}

TEST_CASE("live: a new device is added unassigned, gets its password when put in a domain") {
  live_fixture fx(live_population(0));
  auto inst = fx.inst();
  auto admin_v = admin_login_and_list(fx);
  admin_v.ws->send_text(R"({"mt":"GetDevices","recvUpdates":true,"unassigned":true,"src":"un"})");
  REQUIRE(read_chunks(*admin_v.ws, "GetDevicesResult", "devices", "un").error.empty());

  auto ws = ws_client::open(fx.rt, fx.sysclient_url());
  REQUIRE(ws);
  ws->send_binary(admin(sysclient::admin_type::identify, identify_json("0090335550aa", "IP232", "13r3 x")));
  auto added = admin_v.ws->next_mt("DeviceAdded");
  REQUIRE(added);
  CHECK(json_doc(*added).root["device"]["hwId"].get_string().value() == "0090335550aa");
  auto row = inst->device_by_hw("0090335550aa");
  REQUIRE(row);
  CHECK(row->domain_id == 0);
  CHECK(row->online);

  sim::device_change ch;
  ch.id = row->id;
  ch.domain_id = 2;
  REQUIRE(inst->apply(ch).ok);
  auto pw = next_admin(*ws, sysclient::admin_type::password);
  REQUIRE(pw);
  auto password = json_doc(*pw).str("password");
  CHECK(password.size() == 32);
  CHECK(inst->device_by_hw("0090335550aa")->sysclient_password == password);
}

TEST_CASE("live: a provisioning code puts a new device into the code's domain") {
  live_fixture fx(live_population(0));
  auto admin_v = admin_login_and_list(fx);
  admin_v.ws->send_text(R"({"mt":"GetProvisioningCode","domainId":3,"category":"Phones","src":"pc"})");
  auto pc = admin_v.ws->next_mt("GetProvisioningCodeResult");
  REQUIRE(pc);
  auto code = json_doc(*pc).str("code");
  REQUIRE_FALSE(code.empty());
  auto ws = ws_client::open(fx.rt, fx.sysclient_url());
  REQUIRE(ws);
  ws->send_binary(admin(sysclient::admin_type::identify, identify_json("0090335550bb", "IP222", "13r3 y", {}, code)));
  CHECK(next_admin(*ws, sysclient::admin_type::password));
  auto prov = admin_v.ws->next_mt("DeviceProvisioned");
  REQUIRE(prov);
  CHECK(json_doc(*prov).str("src") == "pc");
  CHECK(fx.inst()->device_by_hw("0090335550bb")->domain_id == 3);
}
