// The simulated Devices App service API over real websockets (docs/spec/devices-api.md §1–§2).

#include "tests/sim/devices_fixture.hpp"

#include "common/crypto/login_digest.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace mpk;
using namespace mpk::test;

namespace {

sim::population_options small_population(std::size_t devices = 1200, std::size_t domains = 5) {
  sim::population_options po;
  po.seed = 42;
  po.devices = devices;
  po.domains = domains;
  po.instances = 1;
  po.live_phones = 0;
  po.supported = {{"IP222", "IP2x2"}, {"IP232", "IP2x2"}, {"IP112", "IP11x"}};
  po.unsupported = {"IP150", "IP61"};
  return po;
}

std::size_t count_if_domain(const sim::instance_population& in, bool assigned) {
  return static_cast<std::size_t>(std::count_if(
    in.devices.begin(), in.devices.end(), [&](const sim::device_record& d) { return (d.domain_id != 0) == assigned; }));
}

std::shared_ptr<ws_client> admin_session(devices_fixture& fx) {
  auto ws = ws_client::open(fx.rt, fx.service_url());
  REQUIRE(ws);
  auto res = app_login(*ws, "devices-api", fx.inst()->domain(), "myphonekeys", fx.inst()->password());
  REQUIRE(json_doc(res).boolean("ok") == std::optional<bool>(true));
  return ws;
}

} // namespace

TEST_CASE("devices: admin login by instance password, user info and chunked lists") {
  sim::instance_options io;
  io.chunk_size = 100;
  devices_fixture fx(small_population(), io);
  auto ws = ws_client::open(fx.rt, fx.service_url());
  REQUIRE(ws);
  auto res = app_login(*ws, "devices-api", fx.inst()->domain(), "myphonekeys", fx.inst()->password());
  json_doc login(res);
  CHECK(login.boolean("ok") == std::optional<bool>(true));
  CHECK(login.str("domain") == fx.inst()->domain());

  ws->send_text(R"({"mt":"GetUserInfo","src":"u1"})");
  auto ui = ws->next_mt("GetUserInfoResult");
  REQUIRE(ui);
  json_doc info(*ui);
  CHECK(info.str("src") == "u1");
  CHECK(info.boolean("admin") == std::optional<bool>(true));
  std::string key = info.str("key");
  CHECK(key.size() == 36);
  CHECK(key[8] == '-');

  ws->send_text(R"({"mt":"SetDeviceFiler","recvUpdates":true,"src":"f"})");
  CHECK(ws->next_mt("SetDeviceFilerResult"));

  ws->send_text(R"({"mt":"GetDomains","recvUpdates":true,"src":"dom"})");
  auto doms = read_chunks(*ws, "GetDomainsResult", "domains", "dom");
  CHECK(doms.error.empty());
  CHECK(doms.ids.size() == fx.pop.instances[0].domains.size());
  CHECK(doms.last_only_at_end);
  CHECK(doms.src_echoed);

  ws->send_text(R"({"mt":"GetDevices","recvUpdates":true,"domainIds":"1,2,3,4,5","src":"dev"})");
  auto devs = read_chunks(*ws, "GetDevicesResult", "devices", "dev");
  CHECK(devs.error.empty());
  auto assigned = count_if_domain(fx.pop.instances[0], true);
  CHECK(devs.ids.size() == assigned);
  CHECK(devs.chunks == (assigned + 99) / 100);
  CHECK(devs.chunks >= 2);
  CHECK(devs.last_only_at_end);
  CHECK(devs.src_echoed);
  REQUIRE(devs.uris.size() == devs.ids.size());
  auto prefix = fx.http_base + fx.inst()->path() + "/passthrough/";
  CHECK(devs.uris.front().rfind(prefix, 0) == 0);
  CHECK(devs.uris.front().find("/" + key + "/") != std::string::npos);
  // Ids are unique and ordered.
  CHECK(std::is_sorted(devs.ids.begin(), devs.ids.end()));
  CHECK(std::adjacent_find(devs.ids.begin(), devs.ids.end()) == devs.ids.end());

  ws->send_text(R"({"mt":"GetUnassignedDevicesCount","src":"n"})");
  auto cnt = ws->next_mt("GetUnassignedDevicesCountResult");
  REQUIRE(cnt);
  CHECK(json_doc(*cnt).integer("count") ==
        std::optional<std::int64_t>(static_cast<std::int64_t>(count_if_domain(fx.pop.instances[0], false))));

  ws->send_text(R"({"mt":"GetDevices","unassigned":true,"src":"un"})");
  auto un = read_chunks(*ws, "GetDevicesResult", "devices", "un");
  CHECK(un.ids.size() == count_if_domain(fx.pop.instances[0], false));
  CHECK(un.domain_ids.empty()); // unassigned devices carry no domainId

  // An empty list is one chunk with last:true.
  ws->send_text(R"({"mt":"GetDevices","domainIds":"999","src":"none"})");
  auto none = read_chunks(*ws, "GetDevicesResult", "devices", "none");
  CHECK(none.chunks == 1);
  CHECK(none.ids.empty());
  CHECK(none.last_only_at_end);

  ws->send_text(R"({"mt":"GetDevices","domainIds":"1,x","src":"bad"})");
  auto bad = read_chunks(*ws, "GetDevicesResult", "devices", "bad");
  CHECK_FALSE(bad.error.empty());

  ws->send_text(R"({"mt":"NoSuchThing","src":"q"})");
  auto unk = ws->next_mt("NoSuchThingResult");
  REQUIRE(unk);
  CHECK(json_doc(*unk).str("error") == "unknown message");
  CHECK(json_doc(*unk).str("src") == "q");
}

TEST_CASE("devices: pushes DeviceUpdate, DeviceAdded, DeviceRemoved and domain moves") {
  devices_fixture fx(small_population(300, 4));
  auto ws = admin_session(fx);
  ws->send_text(R"({"mt":"GetDevices","recvUpdates":true,"src":"all"})");
  auto all = read_chunks(*ws, "GetDevicesResult", "devices", "all");
  REQUIRE(all.error.empty());
  REQUIRE(all.ids.size() > 10);

  auto inst = fx.inst();
  auto target = all.ids[3];
  sim::device_change rename;
  rename.id = target;
  rename.name = "Renamed by test";
  REQUIRE(inst->apply(rename).ok);
  auto up = ws->next_mt("DeviceUpdate");
  REQUIRE(up);
  json_doc upd(*up);
  CHECK(upd.root["device"]["id"].get_int64().value() == target);
  CHECK(std::string(upd.root["device"]["name"].get_string().value()) == "Renamed by test");

  sim::device_change add;
  add.hw_id = "0090330fffff";
  add.domain_id = 2;
  add.product = "IP232";
  auto added = inst->apply(add);
  REQUIRE(added.ok);
  CHECK(added.added);
  auto ad = ws->next_mt("DeviceAdded");
  REQUIRE(ad);
  CHECK(json_doc(*ad).root["device"]["hwId"].get_string().value() == "0090330fffff");

  REQUIRE(inst->remove_device(added.id));
  auto rm = ws->next_mt("DeviceRemoved");
  REQUIRE(rm);
  CHECK(json_doc(*rm).root["device"]["id"].get_int64().value() == added.id);

  // A domain-local session on domain 2 sees a device moving out of it as removed.
  auto dom2 = inst->domain_by_name(fx.pop.instances[0].domains[1].name);
  REQUIRE(dom2);
  auto local = ws_client::open(fx.rt, fx.service_url());
  REQUIRE(local);
  REQUIRE(json_doc(app_login(*local, "devices-api", dom2->name, "myphonekeys", dom2->password)).boolean("ok") ==
          std::optional<bool>(true));
  local->send_text(R"({"mt":"GetDevices","recvUpdates":true,"src":"mine"})");
  auto mine = read_chunks(*local, "GetDevicesResult", "devices", "mine");
  REQUIRE_FALSE(mine.ids.empty());
  sim::device_change move;
  move.id = mine.ids.front();
  move.domain_id = 1;
  REQUIRE(inst->apply(move).ok);
  auto gone = local->next_mt("DeviceRemoved");
  REQUIRE(gone);
  CHECK(json_doc(*gone).root["device"]["id"].get_int64().value() == mine.ids.front());
  // The admin sees the same move as an update.
  auto moved = ws->next_mt("DeviceUpdate");
  REQUIRE(moved);
  CHECK(json_doc(*moved).root["device"]["domainId"].get_int64().value() == 1);
}

TEST_CASE("devices: configurable push names") {
  sim::instance_options io;
  io.pushes.device_added = "DeviceCreated";
  devices_fixture fx(small_population(50, 2), io);
  auto ws = admin_session(fx);
  ws->send_text(R"({"mt":"GetDevices","recvUpdates":true,"src":"a"})");
  REQUIRE(read_chunks(*ws, "GetDevicesResult", "devices", "a").error.empty());
  sim::device_change add;
  add.hw_id = "0090330eeeee";
  add.domain_id = 1;
  REQUIRE(fx.inst()->apply(add).ok);
  CHECK(ws->next_mt("DeviceCreated"));
}

TEST_CASE("devices: a wrong digest is refused and the socket closed") {
  devices_fixture fx(small_population(20, 2));
  auto ws = ws_client::open(fx.rt, fx.service_url());
  REQUIRE(ws);
  auto res = app_login(*ws, "devices-api", fx.inst()->domain(), "myphonekeys", "not-the-password");
  json_doc d(res);
  CHECK(d.boolean("ok") == std::optional<bool>(false));
  CHECK(ws->wait_closed());

  // The instance password with a foreign domain is no admin login either (docs/spec/devices-api.md §1.4).
  auto ws2 = ws_client::open(fx.rt, fx.service_url());
  REQUIRE(ws2);
  auto res2 = app_login(*ws2, "devices-api", "other.example.com", "myphonekeys", fx.inst()->password());
  CHECK(json_doc(res2).boolean("ok") == std::optional<bool>(false));
  CHECK(ws2->wait_closed());
}

TEST_CASE("devices: nothing but the login before AppLogin succeeded") {
  devices_fixture fx(small_population(20, 2));
  auto ws = ws_client::open(fx.rt, fx.service_url());
  REQUIRE(ws);
  ws->send_text(R"({"mt":"GetDevices","src":"early"})");
  auto r = ws->next_mt("GetDevicesResult");
  REQUIRE(r);
  CHECK(json_doc(*r).str("error") == "not logged in");
  // An AppLogin without a challenge fails.
  ws->send_text(R"({"mt":"AppLogin","app":"a","domain":"b","sip":"c","guid":"","dn":"","digest":"00"})");
  auto l = ws->next_mt("AppLoginResult");
  REQUIRE(l);
  CHECK(json_doc(*l).boolean("ok") == std::optional<bool>(false));
}

TEST_CASE("devices: login with info object, whitespace in the raw info tolerated") {
  devices_fixture fx(small_population(20, 2));
  auto ws = ws_client::open(fx.rt, fx.service_url());
  REQUIRE(ws);
  ws->send_text(R"({"mt":"AppChallenge"})");
  auto ch = ws->next_mt("AppChallengeResult");
  REQUIRE(ch);
  auto challenge = json_doc(*ch).str("challenge");
  CHECK(challenge.size() == 16);
  CHECK(challenge.find_first_not_of("0123456789") == std::string::npos);
  crypto::login_fields f{"devices-api", fx.inst()->domain(),
                         "myphonekeys", "g",
                         "dn",          std::string(R"({"appobj":"myphonekeys","pbx":"master"})")};
  auto digest = crypto::login_digest(f, challenge, fx.inst()->password());
  ws->send_text(
    R"({"mt":"AppLogin","app":"devices-api","domain":")" + fx.inst()->domain() +
    R"(","sip":"myphonekeys","guid":"g","dn":"dn","info": { "appobj" : "myphonekeys", "pbx":"master" },"digest":")" +
    digest + "\"}");
  auto r = ws->next_mt("AppLoginResult");
  REQUIRE(r);
  CHECK(json_doc(*r).boolean("ok") == std::optional<bool>(true));
}

TEST_CASE("devices: a domain password sees only its domain") {
  devices_fixture fx(small_population(600, 4));
  const auto& dom = fx.pop.instances[0].domains[2];
  auto ws = ws_client::open(fx.rt, fx.service_url());
  REQUIRE(ws);
  auto res = app_login(*ws, "devices-api", dom.name, "myphonekeys", dom.password);
  REQUIRE(json_doc(res).boolean("ok") == std::optional<bool>(true));
  ws->send_text(R"({"mt":"GetUserInfo","src":"u"})");
  auto ui = ws->next_mt("GetUserInfoResult");
  REQUIRE(ui);
  CHECK(json_doc(*ui).boolean("admin") == std::optional<bool>(false));

  ws->send_text(R"({"mt":"GetDomains","src":"d"})");
  auto doms = read_chunks(*ws, "GetDomainsResult", "domains", "d");
  REQUIRE(doms.ids.size() == 1);
  CHECK(doms.ids[0] == dom.id);

  // Asking for every domain still yields only the own one.
  ws->send_text(R"({"mt":"GetDevices","domainIds":"1,2,3,4","src":"x"})");
  auto devs = read_chunks(*ws, "GetDevicesResult", "devices", "x");
  auto expected = std::count_if(fx.pop.instances[0].devices.begin(), fx.pop.instances[0].devices.end(),
                                [&](const sim::device_record& d) { return d.domain_id == dom.id; });
  CHECK(devs.ids.size() == static_cast<std::size_t>(expected));
  CHECK(std::all_of(devs.domain_ids.begin(), devs.domain_ids.end(), [&](std::int64_t id) { return id == dom.id; }));

  ws->send_text(R"({"mt":"GetUnassignedDevicesCount"})");
  auto cnt = ws->next_mt("GetUnassignedDevicesCountResult");
  REQUIRE(cnt);
  CHECK(json_doc(*cnt).integer("count") == std::optional<std::int64_t>(0));

  // Another domain's password with this domain's name is refused.
  auto ws2 = ws_client::open(fx.rt, fx.service_url());
  REQUIRE(ws2);
  auto bad = app_login(*ws2, "devices-api", dom.name, "myphonekeys", fx.pop.instances[0].domains[1].password);
  CHECK(json_doc(bad).boolean("ok") == std::optional<bool>(false));
}
