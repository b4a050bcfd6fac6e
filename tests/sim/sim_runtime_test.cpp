// The whole simulator (sim_runtime) driven through its control interface, like the integration
// tests and the demo drive it.

#include "tests/sim/live_fixture.hpp"

#include "common/models/registrations.hpp"
#include "sim/app/sim_runtime.hpp"
#include "sim/control/control_api.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <iostream>
#include <map>

using namespace mpk;
using namespace mpk::test;

namespace {

struct sim_fixture {
  sim::sim_runtime sim;
  net::io_runtime client_rt{1};
  std::string base;

  explicit sim_fixture(std::map<std::string, std::string> opts) {
    config::settings s("test", "");
    sim::declare_sim_options(s);
    std::string msg;
    opts.emplace("port", "0");
    opts.emplace("product-url", ""); // no product in these tests: the PBXs stay idle
    opts.emplace("models-dir", MPK_MODELS_DIR);
    for (auto& [k, v] : opts)
      if (!s.set(k, v, msg)) throw std::runtime_error(msg);
    if (!sim.start(s, msg)) throw std::runtime_error("sim start: " + msg);
    base = sim.http_base();
  }
  ~sim_fixture() {
    sim.stop(); // first: its close handshakes need the client side still running
    client_rt.stop();
  }
  net::http_fetch_result control(const std::string& method, const std::string& path, const std::string& body = {}) {
    return http_get(client_rt, base + path, method, body);
  }
  std::string service_url(std::size_t k = 0) {
    return sim.ws_base() + sim.devices().instances().at(k)->path() + "/innovaphone-devices-api";
  }
  bool all_live_online(std::chrono::milliseconds timeout = 15s) {
    return eventually(
      [&] {
        for (auto& s : sim.pop().live) {
          auto d = sim.devices().instances().at(s.instance)->device_by_hw(s.hw_id);
          if (!d || !d->online) return false;
        }
        return true;
      },
      timeout);
  }
  std::shared_ptr<ws_client> admin(std::string& key, std::size_t k = 0) {
    auto inst = sim.devices().instances().at(k);
    auto ws = ws_client::open(client_rt, service_url(k));
    if (!ws) return nullptr;
    if (json_doc(app_login(*ws, "devices-api", inst->domain(), "myphonekeys", inst->password())).boolean("ok") !=
        std::optional<bool>(true))
      return nullptr;
    ws->send_text(R"({"mt":"GetUserInfo"})");
    auto ui = ws->next_mt("GetUserInfoResult");
    if (!ui) return nullptr;
    key = json_doc(*ui).str("key");
    return ws;
  }
};

/// id → name of a device JSON array.
std::map<std::int64_t, std::string> names_of_array(const std::string& json) {
  std::map<std::int64_t, std::string> out;
  json_doc d(json);
  simdjson::dom::array arr;
  if (d.root.get_array().get(arr) != simdjson::SUCCESS) return out;
  for (auto el : arr) {
    std::string_view name;
    if (el["name"].get_string().get(name) != simdjson::SUCCESS) name = "";
    out[el["id"].get_int64().value()] = std::string(name);
  }
  return out;
}

/// id → name of everything a session lists (all domains and the unassigned ones).
std::map<std::int64_t, std::string> names_via_api(ws_client& ws) {
  std::map<std::int64_t, std::string> out;
  for (const char* req : {R"({"mt":"GetDevices","src":"a"})", R"({"mt":"GetDevices","unassigned":true,"src":"a"})"}) {
    ws.send_text(req);
    for (;;) {
      auto f = ws.next_mt("GetDevicesResult", 20s);
      if (!f) return {};
      json_doc d(*f);
      simdjson::dom::array arr;
      if (d.root["devices"].get_array().get(arr) == simdjson::SUCCESS)
        for (auto el : arr) {
          std::string_view name;
          if (el["name"].get_string().get(name) != simdjson::SUCCESS) name = "";
          out[el["id"].get_int64().value()] = std::string(name);
        }
      if (d.boolean("last") != std::optional<bool>(false)) break;
    }
  }
  return out;
}

} // namespace

TEST_CASE("sim: the control interface answers loopback clients only") {
  CHECK(sim::is_loopback("127.0.0.1:4000"));
  CHECK(sim::is_loopback("127.1.2.3:4000"));
  CHECK(sim::is_loopback("[::1]:4000"));
  CHECK(sim::is_loopback("::ffff:127.0.0.1:4000"));
  CHECK_FALSE(sim::is_loopback("10.0.0.1:4000"));
  CHECK_FALSE(sim::is_loopback("1270.0.0.1:4000"));
  CHECK_FALSE(sim::is_loopback("?"));
}

TEST_CASE("sim: 100000 devices load in seconds and stream to an admin session") {
  sim_fixture fx({{"devices", "100000"}, {"domains", "1000"}, {"instances", "1"}, {"tenants", "2"}});
  std::cout << "100k population generated and loaded in " << fx.sim.load_seconds() << " s" << std::endl;
  INFO("load seconds " << fx.sim.load_seconds());
  auto state = fx.control("GET", "/control/state");
  REQUIRE(state.status == 200);
  CHECK(json_doc(state.body).integer("devices") == std::optional<std::int64_t>(100000));
  CHECK(json_doc(state.body).integer("domains") == std::optional<std::int64_t>(1000));

  std::string key;
  auto ws = fx.admin(key);
  REQUIRE(ws);
  auto t0 = std::chrono::steady_clock::now();
  ws->send_text(R"({"mt":"GetDevices","recvUpdates":true,"src":"all"})");
  auto all = read_chunks(*ws, "GetDevicesResult", "devices", "all");
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << "GetDevices streamed " << all.ids.size() << " devices in " << all.chunks << " chunks in " << secs << " s"
            << std::endl;
  INFO("stream seconds " << secs);
  auto unassigned = std::count_if(fx.sim.pop().instances[0].devices.begin(), fx.sim.pop().instances[0].devices.end(),
                                  [](const sim::device_record& d) { return d.domain_id == 0; });
  CHECK(all.error.empty());
  CHECK(all.ids.size() == static_cast<std::size_t>(100000 - unassigned));
  CHECK(all.chunks == (all.ids.size() + 499) / 500);
  CHECK(all.last_only_at_end);
  CHECK(fx.all_live_online());
}

TEST_CASE("sim: control changes devices, phones and registrations") {
  sim_fixture fx({{"devices", "300"}, {"domains", "5"}, {"live-phones", "4"}, {"tenants", "1"}});
  REQUIRE(fx.all_live_online());
  std::string key;
  auto ws = fx.admin(key);
  REQUIRE(ws);
  ws->send_text(R"({"mt":"GetDevices","recvUpdates":true,"src":"all"})");
  auto listed = read_chunks(*ws, "GetDevicesResult", "devices", "all");
  REQUIRE(listed.error.empty());

  auto st = json_doc(fx.control("GET", "/control/state").body);
  CHECK(st.integer("devices") == std::optional<std::int64_t>(300));
  CHECK(st.root["livePhones"]["total"].get_int64().value() == 4);

  // Add, change, delete.
  auto add = fx.control("POST", "/control/device", R"({"hwId":"009033ab0001","domainId":2,"name":"New one"})");
  REQUIRE(add.status == 200);
  auto id = json_doc(add.body).integer("id");
  REQUIRE(id);
  auto added = ws->next_mt("DeviceAdded");
  REQUIRE(added);
  CHECK(json_doc(*added).root["device"]["name"].get_string().value() == "New one");
  REQUIRE(fx.control("POST", "/control/device", R"({"id":)" + std::to_string(*id) + R"(,"name":"Changed"})").status ==
          200);
  auto upd = ws->next_mt("DeviceUpdate");
  REQUIRE(upd);
  CHECK(json_doc(*upd).root["device"]["name"].get_string().value() == "Changed");
  REQUIRE(fx.control("DELETE", "/control/device?id=" + std::to_string(*id)).status == 200);
  auto rm = ws->next_mt("DeviceRemoved");
  REQUIRE(rm);
  CHECK(json_doc(*rm).root["device"]["id"].get_int64().value() == *id);
  CHECK(fx.control("DELETE", "/control/device?id=" + std::to_string(*id)).status == 404);

  // Unplug and replug a live phone.
  auto& live = fx.sim.pop().live.at(0);
  REQUIRE(fx.control("POST", "/control/phone/online?hwId=" + live.hw_id + "&online=false").status == 200);
  auto off = ws->next_mt("DeviceUpdate");
  REQUIRE(off);
  CHECK(json_doc(*off).root["device"]["hwId"].get_string().value() == live.hw_id);
  CHECK(json_doc(*off).root["device"]["online"].get_bool().value() == false);
  REQUIRE(fx.control("POST", "/control/phone/online?hwId=" + live.hw_id + "&online=true").status == 200);
  auto on = ws->next_mt("DeviceUpdate", 10s);
  REQUIRE(on);
  CHECK(json_doc(*on).root["device"]["online"].get_bool().value() == true);

  // A registration state set by control shows in the phone's registrations path.
  const auto& m = *test_catalog().get(live.product);
  REQUIRE(fx.control("POST", "/control/registration?hwId=" + live.hw_id + "&slot=0&state=failed").status == 200);
  auto uri = fx.sim.http_base() + fx.sim.devices().instances().at(live.instance)->path() + "/passthrough/" +
             live.hw_id + "/" + key + "/";
  auto regs = http_get(fx.client_rt, uri + test_catalog().registrations_path(m).substr(1));
  REQUIRE(regs.status == 200);
  std::string err;
  auto parsed = models::parse_registrations_xml(regs.body, err);
  REQUIRE(parsed);
  REQUIRE_FALSE(parsed->empty());
  CHECK(models::classify(parsed->front()) == models::reg_color::failed);
  CHECK(fx.control("POST", "/control/registration?hwId=" + live.hw_id + "&slot=0&state=purple").status == 400);

  // Key presses are counted.
  auto keyreq = test_catalog().key_request(m, "D7", 0, err);
  REQUIRE(keyreq);
  REQUIRE(http_get(fx.client_rt, uri + keyreq->substr(1)).status == 200);
  auto counters = fx.control("GET", "/control/counters?hwId=" + live.hw_id);
  REQUIRE(counters.status == 200);
  json_doc c(counters.body);
  CHECK(c.root["keyPresses"][*m.key_code("D7")].get_int64().value() == 1);

  // The full list for comparisons.
  auto list = fx.control("GET", "/control/devices");
  REQUIRE(list.status == 200);
  CHECK(names_of_array(list.body).size() == 300);

  // A new live phone through control comes online by itself.
  auto made = fx.control("POST", "/control/device",
                         R"({"hwId":"009033ab0002","domainId":2,"product":"IP232","name":"Made live","live":true})");
  REQUIRE(made.status == 200);
  CHECK(eventually([&] {
    auto d = fx.sim.devices().instances().at(0)->device_by_hw("009033ab0002");
    return d && d->online;
  }));

  // Domains: added, changed, removed, each pushed to a session that asked for domain updates.
  ws->send_text(R"({"mt":"GetDomains","recvUpdates":true,"src":"d"})");
  REQUIRE(read_chunks(*ws, "GetDomainsResult", "domains", "d").error.empty());
  auto dom = fx.control("POST", "/control/domain", R"({"name":"extra.example.com","deployAdminPasswords":true})");
  REQUIRE(dom.status == 200);
  auto dom_id = json_doc(dom.body).integer("id");
  REQUIRE(dom_id);
  auto dadd = ws->next_mt("DomainAdded");
  REQUIRE(dadd);
  CHECK(json_doc(*dadd).root["domain"]["name"].get_string().value() == "extra.example.com");
  REQUIRE(
    fx.control("POST", "/control/domain", R"({"id":)" + std::to_string(*dom_id) + R"(,"name":"renamed.example.com"})")
      .status == 200);
  auto dupd = ws->next_mt("DomainUpdate");
  REQUIRE(dupd);
  CHECK(json_doc(*dupd).root["domain"]["name"].get_string().value() == "renamed.example.com");
  CHECK(fx.control("DELETE", "/control/domain?id=1").status == 409); // the instance domain stays
  REQUIRE(fx.control("DELETE", "/control/domain?id=" + std::to_string(*dom_id)).status == 200);
  auto drm = ws->next_mt("DomainRemoved");
  REQUIRE(drm);
  CHECK(json_doc(*drm).root["domain"]["id"].get_int64().value() == *dom_id);

  // Tenant isolation: the tenant's granted password (its domain's) lists only the tenant's devices.
  auto doms = json_doc(fx.control("GET", "/control/domains").body);
  std::string tenant_pw;
  std::int64_t tenant_id = 0;
  simdjson::dom::array darr;
  REQUIRE(doms.root.get_array().get(darr) == simdjson::SUCCESS);
  for (auto d : darr)
    if (d["name"].get_string().value() == "tenant1.example.com") {
      tenant_pw = std::string(d["password"].get_string().value());
      tenant_id = d["id"].get_int64().value();
    }
  REQUIRE_FALSE(tenant_pw.empty());
  auto tws = ws_client::open(fx.client_rt, fx.service_url());
  REQUIRE(tws);
  REQUIRE(json_doc(app_login(*tws, "devices-api", "tenant1.example.com", "myphonekeys", tenant_pw)).boolean("ok") ==
          std::optional<bool>(true));
  tws->send_text(R"({"mt":"GetDevices","src":"t"})");
  auto tl = read_chunks(*tws, "GetDevicesResult", "devices", "t");
  REQUIRE_FALSE(tl.ids.empty());
  CHECK(std::all_of(tl.domain_ids.begin(), tl.domain_ids.end(), [&](std::int64_t d) { return d == tenant_id; }));
  CHECK(tl.ids.size() >= fx.sim.pop().live.size()); // every live phone sits in the only tenant's domain

  // Bad requests get clear errors.
  CHECK(fx.control("POST", "/control/device", "nope").status == 400);
  CHECK(fx.control("POST", "/control/device", R"({"name":"no hwId"})").status == 400);
  CHECK(fx.control("POST", "/control/phone/online?hwId=nothere&online=true").status == 404);
  CHECK(fx.control("GET", "/control/nothing").status == 404);
  CHECK(fx.control("POST", "/control/pbx/drop?pbx=nowhere.example.com").status == 404);
  CHECK(fx.control("POST", "/control/pbx/drop?pbx=tenant1.example.com").status == 200);
}

TEST_CASE("sim: restart drops and restores all links, changes while down are visible after") {
  sim_fixture fx({{"devices", "500"}, {"domains", "6"}, {"live-phones", "6"}, {"tenants", "0"}});
  REQUIRE(fx.all_live_online());
  std::string old_key;
  auto ws = fx.admin(old_key);
  REQUIRE(ws);
  auto& live = fx.sim.pop().live.at(0);
  auto old_uri = fx.sim.http_base() + fx.sim.devices().instances().at(0)->path() + "/passthrough/" + live.hw_id + "/" +
                 old_key + "/lcd_dump.bmp";
  REQUIRE(http_get(fx.client_rt, old_uri).status == 200);

  auto r = fx.control("POST", "/control/devices/restart?down_ms=2000&change=8");
  REQUIRE(r.status == 200);
  json_doc rep(r.body);
  CHECK(rep.integer("servicesDropped") == std::optional<std::int64_t>(1));
  CHECK(rep.integer("sysclientsDropped") == std::optional<std::int64_t>(6));
  simdjson::dom::array changes;
  REQUIRE(rep.root["changes"].get_array().get(changes) == simdjson::SUCCESS);
  CHECK(changes.size() == 8);
  CHECK(ws->wait_closed());
  // While down, new websockets are refused.
  CHECK_FALSE(ws_client::open(fx.client_rt, fx.service_url()));

  // Everything comes back by itself: a new session logs in, phones reconnect (checked below through
  // the passthrough: right after the restart a phone's online flag can still be its old link's).
  std::string key;
  std::shared_ptr<ws_client> again;
  REQUIRE(eventually([&] { return (again = fx.admin(key)) != nullptr; }, 20s));
  CHECK(key != old_key);
  auto via_api = names_via_api(*again);
  auto via_control = names_of_array(fx.control("GET", "/control/devices").body);
  CHECK(via_api.size() == via_control.size());
  CHECK(via_api == via_control);
  // The renames made while down are in the new lists.
  for (auto el : changes) {
    std::string line(el.get_string().value());
    if (line.rfind("rename id=", 0) != 0) continue;
    auto id = std::stoll(line.substr(10, line.find(' ', 10) - 10));
    auto name = line.substr(line.find("name=") + 5);
    CHECK(via_api.at(id) == name);
  }
  // The old passthrough key died with its session; with the new one every live phone answers once
  // it is back on a new sysclient link.
  CHECK(http_get(fx.client_rt, old_uri).status == 403);
  for (auto& phone : fx.sim.pop().live) {
    if (phone.instance != live.instance) continue; // the key is a session of this instance
    auto uri = fx.sim.http_base() + fx.sim.devices().instances().at(phone.instance)->path() + "/passthrough/" +
               phone.hw_id + "/" + key + "/lcd_dump.bmp";
    INFO(phone.hw_id);
    CHECK(eventually([&] { return http_get(fx.client_rt, uri).status == 200; }, 20s));
  }
  CHECK(fx.all_live_online());
}

namespace {

/// Sends GetDevices and reads its chunks: the devices counted, and whether `last:true` came.
/// Stops at the first frame that is not JSON (returned in `garbage`) or after `quiet` without a frame.
struct list_read {
  std::size_t devices = 0, chunks = 0;
  bool last = false;
  std::string garbage;
};
list_read read_list(ws_client& ws, std::chrono::milliseconds quiet) {
  list_read out;
  ws.send_text(R"({"mt":"GetDevices","src":"f"})");
  while (auto f = ws.next(quiet)) {
    json_doc d(f->data);
    if (!d.ok) {
      out.garbage = f->data;
      break;
    }
    if (d.str("mt") != "GetDevicesResult") continue;
    ++out.chunks;
    simdjson::dom::array arr;
    if (d.root["devices"].get_array().get(arr) == simdjson::SUCCESS) out.devices += arr.size();
    if (d.boolean("last") != std::optional<bool>(false)) {
      out.last = true;
      break;
    }
  }
  return out;
}

} // namespace

TEST_CASE("sim: the list fault answers GetDevices with garbage, half a list or a cut list until cleared") {
  sim_fixture fx({{"devices", "300"}, {"domains", "3"}, {"live-phones", "0"}, {"tenants", "0"}, {"chunk-size", "20"}});
  std::string key;
  auto ws = fx.admin(key);
  REQUIRE(ws);
  auto whole = read_list(*ws, 2s);
  REQUIRE(whole.last);
  REQUIRE(whole.chunks > 4);

  REQUIRE(fx.control("POST", "/control/devices/fault?list=garbage").status == 200);
  auto garbage = read_list(*ws, 500ms);
  CHECK(garbage.garbage.rfind(R"({"mt":"GetDevicesResult")", 0) == 0); // looks like the answer, is not JSON
  CHECK(garbage.devices == 0);
  CHECK_FALSE(garbage.last);

  REQUIRE(fx.control("POST", "/control/devices/fault?list=half").status == 200);
  auto half = read_list(*ws, 500ms);
  CHECK(half.devices == whole.devices / 2);
  CHECK_FALSE(half.last);
  ws->send_text(R"({"mt":"GetUserInfo","src":"alive"})"); // silent, not closed
  CHECK(ws->next_mt("GetUserInfoResult"));

  REQUIRE(fx.control("POST", "/control/devices/fault?list=cut").status == 200);
  CHECK(fx.control("GET", "/control/state").body.find(R"("listFault":"cut")") != std::string::npos);
  auto cut = read_list(*ws, 500ms);
  CHECK(cut.devices == whole.devices / 2);
  CHECK_FALSE(cut.last);
  CHECK(ws->wait_closed());

  // A mode it does not know changes nothing; "none" restores whole lists.
  auto bad = fx.control("POST", "/control/devices/fault?list=sometimes");
  CHECK(bad.status == 400);
  CHECK(fx.control("GET", "/control/state").body.find(R"("listFault":"cut")") != std::string::npos);
  REQUIRE(fx.control("POST", "/control/devices/fault?list=none").status == 200);
  auto again = fx.admin(key);
  REQUIRE(again);
  auto restored = read_list(*again, 2s);
  CHECK(restored.last);
  CHECK(restored.devices == whole.devices);
}

TEST_CASE("sim: the phone fault switch checks its arguments and shows in the state") {
  sim_fixture fx({{"devices", "40"}, {"domains", "2"}, {"live-phones", "2"}, {"tenants", "0"}});
  REQUIRE(fx.all_live_online());
  auto hw = fx.sim.pop().live.at(0).hw_id;
  CHECK(fx.control("POST", "/control/phone/fault?hwId=" + hw + "&mode=sometimes").status == 400);
  CHECK(fx.control("POST", "/control/phone/fault?hwId=0090aaaaaaaa&mode=garbage").status == 404);
  REQUIRE(fx.control("POST", "/control/phone/fault?hwId=" + hw + "&mode=silent").status == 200);
  auto state = fx.control("GET", "/control/state").body;
  CHECK(state.find(R"("hwId":")" + hw + R"(")") != std::string::npos);
  CHECK(state.find(R"("fault":"silent")") != std::string::npos);
  REQUIRE(fx.control("POST", "/control/phone/fault?hwId=" + hw + "&mode=none").status == 200);
  CHECK(fx.control("GET", "/control/state").body.find(R"("fault":"silent")") == std::string::npos);
}
