// The Devices service conversation without a network: chunks, buffered pushes, garbage,
// fallbacks, the passthrough base; and the login frames, device parsing and backoff.

#include "common/json/envelope.hpp"
#include "services/registry/backoff.hpp"
#include "services/registry/device_parse.hpp"
#include "services/registry/devices_sync.hpp"
#include "services/registry/login_frames.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace mpk;
using namespace mpk::registry;

namespace {

std::string device_json(int id, int domain, const std::string& name, bool online, const std::string& key = "K") {
  char hw[13];
  std::snprintf(hw, sizeof hw, "0090330000%02x", id);
  return std::string(R"({"id":)") + std::to_string(id) + R"(,"hwId":")" + hw + R"(","name":")" + name +
         R"(","domainId":)" + std::to_string(domain) +
         R"(,"product":"IP222","version":"13r3","type":"PHONE","online":)" + (online ? "true" : "false") +
         R"(,"ethIfs":[{"if":"ETH1","ipv4":"192.168.9.9"},{"if":"ETH0","ipv4":"10.1.1.)" + std::to_string(id) +
         R"("}],"uri":"http://ap.example.com/dom/devices/passthrough/)" + hw + "/" + key + R"(/"})";
}

/// Reads a frame's mt and src.
std::pair<std::string, std::string> mt_src(const std::string& frame) {
  json::envelope_parser p;
  json::envelope_errc e{};
  auto env = p.parse(frame, e);
  REQUIRE(env);
  return {std::string(env->mt()), std::string(env->src())};
}

/// Drives a sync up to GetDevices; returns the GetDevices src.
std::string to_devices(devices_sync& s, const std::string& domains_json) {
  auto [mt, src] = mt_src(s.start());
  CHECK(mt == "GetUserInfo");
  auto r = s.on_frame(R"({"mt":"GetUserInfoResult","src":")" + src + R"(","key":"K","admin":true})");
  REQUIRE(r.send.size() == 1);
  auto [mt2, src2] = mt_src(r.send[0]);
  CHECK(mt2 == "GetDomains");
  CHECK(r.send[0].find(R"("recvUpdates":true)") != std::string::npos);
  r = s.on_frame(R"({"mt":"GetDomainsResult","src":")" + src2 + R"(","domains":)" + domains_json + R"(,"last":true})");
  REQUIRE(r.send.size() == 1);
  auto [mt3, src3] = mt_src(r.send[0]);
  CHECK(mt3 == "GetDevices");
  return src3;
}

/// A snapshot's devices in order: `devices`, then the chunks.
std::vector<device_record> snapshot_devices(const link_update& u) {
  auto all = u.devices;
  for (const auto& c : u.device_chunks) all.insert(all.end(), c.begin(), c.end());
  return all;
}

} // namespace

TEST_CASE("sync: chunks are collected until last, pushes during the load applied afterwards") {
  devices_sync s("t1/dev", "t1", "wss://ap.example.com/dom/devices/innovaphone-devices-api");
  auto src = to_devices(s, R"([{"id":1,"name":"dom"},{"id":2,"name":"Other"}])");
  CHECK(s.current() == devices_sync::phase::devices);
  auto r = s.on_frame(R"({"mt":"GetDevicesResult","src":")" + src + R"(","devices":[)" + device_json(1, 1, "a", true) +
                      "," + device_json(2, 1, "b", false) + R"(],"last":false})");
  CHECK_FALSE(r.snapshot_ready);
  // Pushes before the end: buffered, newer than the chunks.
  r = s.on_frame(R"({"mt":"DeviceUpdate","device":)" + device_json(2, 1, "b", true) + "}");
  r = s.on_frame(R"({"mt":"DeviceRemoved","device":{"id":1}})");
  r = s.on_frame(R"({"mt":"DeviceAdded","device":)" + device_json(9, 2, "nine", true) + "}");
  CHECK_FALSE(r.snapshot_ready);
  r = s.on_frame(R"({"mt":"GetDevicesResult","src":")" + src + R"(","devices":[)" + device_json(3, 2, "c", true) +
                 R"(],"last":true})");
  REQUIRE(r.snapshot_ready);
  CHECK(s.current() == devices_sync::phase::live);
  auto snap = s.take_snapshot();
  CHECK(snap.kind == link_update_kind::snapshot);
  CHECK(snap.key == "K");
  CHECK(snap.admin);
  CHECK(snap.domains.size() == 2);
  // Handed on as they came (never one concatenated vector): the two chunks, then the new device
  // pushed during the load.
  CHECK(snap.devices.empty());
  CHECK(snap.device_chunks.size() == 3);
  auto devices = snapshot_devices(snap);
  REQUIRE(devices.size() == 3); // 2, 3, 9 (1 removed)
  CHECK(devices[0].id == "t1/dev:2");
  CHECK(devices[0].online);
  CHECK(devices[0].ip == "10.1.1.2"); // ETH0, not the first interface
  CHECK(devices[0].domain_id == "t1/dev:1");
  CHECK(devices[2].id == "t1/dev:9");
  // The base comes from a device uri, without <hwId>/<key>/.
  CHECK(snap.passthrough_base == "http://ap.example.com/dom/devices/passthrough/");
  CHECK_FALSE(s.has_delta());
}

TEST_CASE("sync: live pushes are merged per id into one delta, a new domain is asked for") {
  devices_sync s("l", "t", "ws://h/d/devices");
  auto src = to_devices(s, R"([{"id":1,"name":"d1"}])");
  auto r = s.on_frame(R"({"mt":"GetDevicesResult","src":")" + src + R"(","devices":[],"last":true})");
  REQUIRE(r.snapshot_ready);
  auto snap = s.take_snapshot();
  CHECK(snapshot_devices(snap).empty());
  CHECK(snap.passthrough_base == "http://h/d/devices/passthrough/"); // no uri seen: from the URL

  s.on_frame(R"({"mt":"DeviceAdded","device":)" + device_json(5, 1, "five", false) + "}");
  s.on_frame(R"({"mt":"DeviceUpdate","device":)" + device_json(5, 1, "five", true) + "}");
  s.on_frame(R"({"mt":"DeviceUpdate","device":)" + device_json(6, 1, "six", true) + "}");
  s.on_frame(R"({"mt":"DeviceRemoved","device":{"id":6}})");
  r = s.on_frame(R"({"mt":"DomainAdded","domain":{"id":4,"name":"new"}})");
  REQUIRE(r.send.size() == 1);
  CHECK(r.send[0].find(R"("domainIds":"4")") != std::string::npos);
  REQUIRE(s.has_delta());
  auto d = s.take_delta();
  CHECK(d.kind == link_update_kind::delta);
  REQUIRE(d.devices.size() == 1);
  CHECK(d.devices[0].online);
  CHECK(d.removed_devices == std::vector<std::string>{"l:6"});
  REQUIRE(d.domains.size() == 1);
  CHECK(d.domains[0].name == "new");
  CHECK_FALSE(s.has_delta());
  // The answer for the new domain arrives as upserts.
  s.on_frame(R"({"mt":"GetDevicesResult","src":"devx9","devices":[)" + device_json(7, 4, "seven", true) +
             R"(],"last":true})");
  CHECK(s.take_delta().devices.size() == 1);
}

TEST_CASE("sync: garbage never breaks the session or the model") {
  devices_sync s("l", "t", "ws://h/d/devices");
  auto src = to_devices(s, R"([{"id":1,"name":"d1"}])");
  for (std::string bad :
       {std::string("not json"), std::string("[1,2]"), std::string(R"({"x":1})"), std::string("{\"mt\":5}"),
        std::string(R"({"mt":"DeviceUpdate","device":"nope"})"), std::string(R"({"mt":"DeviceUpdate"})"),
        std::string(R"({"mt":"GetDevicesResult","src":"other","devices":[{"id":99}],"last":true})"),
        std::string("\xff\xfe{"), std::string()}) {
    auto r = s.on_frame(bad);
    CHECK_FALSE(r.snapshot_ready);
    CHECK(r.fatal.empty());
  }
  auto r = s.on_frame(R"({"mt":"GetDevicesResult","src":")" + src + R"(","devices":[{"id":"x"},{"name":"no id"},)" +
                      device_json(2, 1, "ok", true) + R"(],"last":true})");
  REQUIRE(r.snapshot_ready);
  auto devices = snapshot_devices(s.take_snapshot());
  REQUIRE(devices.size() == 1);
  CHECK(devices[0].name == "ok");
  CHECK(s.frames_ignored() >= 8);
}

TEST_CASE("sync: a GetUserInfo error falls back to GetLoginInfo, list errors are fatal") {
  devices_sync s("l", "t", "ws://h/d/devices");
  auto [mt, src] = mt_src(s.start());
  auto r = s.on_frame(R"({"mt":"GetUserInfoResult","src":")" + src + R"(","error":"unknown message"})");
  REQUIRE(r.send.size() == 1);
  CHECK(mt_src(r.send[0]).first == "GetLoginInfo");
  r = s.on_frame(R"({"mt":"GetLoginInfoResult","key":"K2","admin":false})");
  REQUIRE(r.send.size() == 1);
  CHECK(s.key() == "K2");
  CHECK_FALSE(s.admin());
  auto dom_src = mt_src(r.send[0]).second;
  r = s.on_frame(R"({"mt":"GetDomainsResult","src":")" + dom_src + R"(","error":"forbidden"})");
  CHECK(r.fatal.find("forbidden") != std::string::npos);
}

TEST_CASE("sync: an instance that never answers the user info requests still gets loaded, without a key") {
  devices_sync s("l", "t", "ws://h/d/devices");
  s.start();
  CHECK(s.awaiting_user_info());
  auto r = s.on_no_answer();
  REQUIRE(r.send.size() == 1);
  CHECK(mt_src(r.send[0]).first == "GetLoginInfo");
  r = s.on_no_answer();
  REQUIRE(r.send.size() == 1);
  auto [mt, src] = mt_src(r.send[0]);
  CHECK(mt == "GetDomains");
  CHECK_FALSE(s.awaiting_user_info());
  CHECK(s.key().empty());
  CHECK(s.on_no_answer().send.empty()); // later timer ticks change nothing
  r = s.on_frame(R"({"mt":"GetDomainsResult","src":")" + src + R"(","domains":[],"last":true})");
  REQUIRE(r.send.size() == 1);
  CHECK(r.send[0].find(R"("domainIds":"")") != std::string::npos);
}

TEST_CASE("login frames: AppLogin copies the PBX result with info raw, replies are classified") {
  service_login l;
  l.app = "devices-api";
  l.domain = "example.com";
  l.sip = "myphonekeys";
  l.guid = "g";
  l.dn = "My \"Phone\" Keys";
  l.pbx_obj = "myphonekeys";
  l.info = R"({"appobj":"myphonekeys","x":"a\/b","apps":[]})";
  l.digest = "abc";
  auto f = app_login_frame(l, "login");
  REQUIRE(f);
  CHECK(f->find(R"("info":{"appobj":"myphonekeys","x":"a\/b","apps":[]})") != std::string::npos); // not re-escaped
  CHECK(f->find(R"("dn":"My \"Phone\" Keys")") != std::string::npos);
  json::envelope_parser p;
  json::envelope_errc e{};
  auto env = p.parse(*f, e);
  REQUIRE(env);
  CHECK(env->mt() == "AppLogin");
  CHECK(env->string("digest") == std::optional<std::string_view>("abc"));

  l.info = R"({"broken":)";
  CHECK_FALSE(app_login_frame(l, "login"));
  l.info.clear();
  REQUIRE(app_login_frame(l, "login"));
  CHECK(app_login_frame(l, "login")->find("info") == std::string::npos);

  CHECK(read_login_reply(R"({"mt":"AppChallengeResult","challenge":"1234"})").what == login_reply::challenge);
  CHECK(read_login_reply(R"({"mt":"AppChallengeResult","challenge":"1234"})").text == "1234");
  CHECK(read_login_reply(R"({"mt":"AppLoginResult","ok":true})").what == login_reply::login_ok);
  auto failed = read_login_reply(R"({"mt":"AppLoginResult","ok":false,"errorText":"digest mismatch"})");
  CHECK(failed.what == login_reply::login_failed);
  CHECK(failed.text.find("digest mismatch") != std::string::npos);
  CHECK(read_login_reply(R"({"mt":"AppLoginResult"})").what == login_reply::login_failed);
  CHECK(read_login_reply("garbage").what == login_reply::other);
  CHECK(read_login_reply(R"({"mt":"AppChallengeResult"})").what == login_reply::other);
}

TEST_CASE("passthrough base from a device uri or the service URL") {
  CHECK(passthrough_base_from_uri("http://h/d/i/passthrough/0090/K/", "0090", "K") == "http://h/d/i/passthrough/");
  CHECK(passthrough_base_from_uri("http://h/d/i/passthrough/0090/OTHER/", "0090", "K").empty());
  CHECK(passthrough_base_from_uri("0090/K/", "0090", "K").empty());
  CHECK(passthrough_base_from_uri("", "0090", "K").empty());
  CHECK(passthrough_base_from_url("wss://ap.example.com/dom/devices/innovaphone-devices-api") ==
        "https://ap.example.com/dom/devices/passthrough/");
  CHECK(passthrough_base_from_url("ws://127.0.0.1:8090/dom/devices/?x=1") ==
        "http://127.0.0.1:8090/dom/devices/passthrough/");
  CHECK(passthrough_base_from_url("ftp://x").empty());
}

TEST_CASE("backoff: doubles from min to max with at most 20 % jitter") {
  using ms = std::chrono::milliseconds;
  backoff b(ms(500), ms(30000), 42);
  double base = 500;
  for (int i = 0; i < 12; ++i) {
    auto d = b.next().count();
    CHECK(d >= static_cast<long>(base * 0.8) - 1);
    CHECK(d <= static_cast<long>(base * 1.2) + 1);
    base = std::min(base * 2, 30000.0);
  }
  b.reset();
  CHECK(b.next().count() <= 601);
}

TEST_CASE("device parsing: every field in one pass, the first of duplicate keys, wrong types left empty") {
  simdjson::dom::parser p;
  simdjson::dom::element el;
  REQUIRE(
    p.parse(std::string(
              R"({"name":"first","id":7,"hwId":"009033000007","name":"second","domainId":3,"product":"IP232",)"
              R"("version":"13r3","type":"PHONE","online":true,"online":false,"uri":"http://h/p/009033000007/K/",)"
              R"("ethIfs":[{"if":"ETH1","ipv4":"192.168.1.7"},{"if":"ETH0","ipv4":"10.0.0.7"}],"extra":{"id":9}})"))
      .get(el) == simdjson::SUCCESS);
  std::string uri = "stale";
  auto d = parse_device(el, "t/devices", &uri);
  REQUIRE(d);
  CHECK(d->id == "t/devices:7");
  CHECK(d->device_id == 7);
  CHECK(d->link == "t/devices");
  CHECK(d->name == "first");
  CHECK(d->hw_id == "009033000007");
  CHECK(d->domain_id == "t/devices:3");
  CHECK(d->product == "IP232");
  CHECK(d->version == "13r3");
  CHECK(d->type == "PHONE");
  CHECK(d->online);
  CHECK(d->ip == "10.0.0.7");
  CHECK(uri == "http://h/p/009033000007/K/");

  REQUIRE(p.parse(std::string(R"({"id":8,"name":5,"domainId":"3","online":"yes"})")).get(el) == simdjson::SUCCESS);
  d = parse_device(el, "t/devices", &uri);
  REQUIRE(d);
  CHECK(d->name.empty());
  CHECK(d->domain_id.empty());
  CHECK_FALSE(d->online);
  CHECK(uri.empty());

  for (const char* bad : {R"({"id":"8"})", R"({"id":1.5})", R"({"name":"x"})", R"([1,2])", R"("x")"}) {
    REQUIRE(p.parse(std::string(bad)).get(el) == simdjson::SUCCESS);
    CHECK_FALSE(parse_device(el, "t/devices"));
  }
}
