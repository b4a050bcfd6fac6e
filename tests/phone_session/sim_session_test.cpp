// The phone manager against the simulator (sim_runtime in-process): the Devices App's real
// passthrough and tunnel to live sysclient phones. The registry stand-in gets its key by logging
// in to the simulated Devices App with the instance password.
#include "common/base/config.hpp"
#include "common/net/http_client.hpp"
#include "services/phone-session/lcd/bmp_decoder.hpp"
#include "services/phone-session/src/frame_wire.hpp"
#include "sim/app/sim_runtime.hpp"
#include "sim/phone/lcd_renderer.hpp"
#include "tests/phone_session/devices_login.hpp"
#include "tests/phone_session/png_check.hpp"
#include "tests/phone_session/session_fixture.hpp"
#include "tests/phone_session/test_catalog.hpp"
#include "tests/support/fetch_and_wait.hpp"

#include <catch2/catch.hpp>
#include <simdjson.h>

#include <future>
#include <stdexcept>

using namespace mpk;
using namespace mpk::test;

namespace {

net::http_fetch_result http_call(net::io_runtime& rt, const std::string& method, const std::string& url) {
  net::http_fetch_request req;
  req.max_body_bytes = large_body_bytes;
  req.method = method;
  req.url = url;
  req.timeout = std::chrono::milliseconds(10000);
  return fetch_and_wait(rt, req);
}

/// The simulator with a few live phones, the phone manager and a registry stand-in that holds a
/// devices-api admin session (for the passthrough key) like the registry does.
struct sim_phone_fixture {
  sim::sim_runtime sim;
  session_fixture fx;
  std::shared_ptr<devices_login> login;
  sim::live_phone_spec phone;
  std::string device;
  std::uint64_t epoch = 1;

  sim_phone_fixture() {
    config::settings s("test", "");
    sim::declare_sim_options(s);
    std::string msg;
    for (auto [k, v] : std::map<std::string, std::string>{{"port", "0"},
                                                          {"product-url", ""},
                                                          {"models-dir", MPK_MODELS_DIR},
                                                          {"devices", "40"},
                                                          {"domains", "2"},
                                                          {"live-phones", "3"},
                                                          {"tenants", "1"}})
      if (!s.set(k, v, msg)) throw std::runtime_error(msg);
    if (!sim.start(s, msg)) throw std::runtime_error("sim start: " + msg);
    REQUIRE_FALSE(sim.pop().live.empty());
    phone = sim.pop().live.front();
    device = "sim:" + phone.hw_id;
    REQUIRE(eventually([&] { return connected(); }, 20s));
    // Frozen clock: an idle screen stays byte-identical (the idle screen shows HH:MM).
    sim.phones().find(phone.hw_id)->with_phone([](sim_phone::phone_web& w) {
      w.ui().set_clock([] { return std::int64_t{1751371200}; });
      return 0;
    });
    relogin();
    fx.put_target(target());
  }

  ~sim_phone_fixture() {
    if (login) login->close();
    sim.stop();
  }

  bool connected() {
    auto d = inst()->device_by_hw(phone.hw_id);
    auto p = sim.phones().find(phone.hw_id);
    return d && d->online && p && p->connected();
  }

  std::shared_ptr<sim::devices_instance> inst() { return sim.devices().instances().at(phone.instance); }

  /// Admin login to the phone's Devices instance (instance domain + instance password).
  void relogin() {
    std::string err;
    std::shared_ptr<devices_login> l;
    REQUIRE(eventually(
      [&] {
        l = devices_login::open(fx.rt, sim.ws_base() + inst()->path(), inst()->domain(), inst()->password(), err);
        return l != nullptr;
      },
      20s));
    if (login) login->close();
    login = l;
  }

  /// What the registry would push: the passthrough URL with the key of the current login.
  phone_target target(bool online = true) {
    phone_target t;
    t.device = device;
    t.tenant = "tenant1.example.com";
    t.hw_id = phone.hw_id;
    t.product = phone.product;
    t.version = phone.version;
    t.type = "PHONE";
    t.name = phone.name;
    t.ip = phone.ipv4;
    t.domain_name = phone.domain_name;
    t.base_url = inst()->passthrough_prefix() + phone.hw_id + "/" + login->key() + "/";
    t.online = online;
    t.link_up = true;
    t.epoch = ++epoch;
    return t;
  }

  sim_phone::phone_counters counters() {
    return sim.phones().find(phone.hw_id)->with_phone([](sim_phone::phone_web& w) { return w.counters(); });
  }

  lcd::image screen() {
    auto bmp = sim.phones().find(phone.hw_id)->with_phone([](sim_phone::phone_web& w) {
      return sim_phone::render_lcd_bmp(w.ui());
    });
    auto img = lcd::decode_bmp(bmp);
    REQUIRE(std::holds_alternative<lcd::image>(img));
    return std::get<lcd::image>(img);
  }

  /// The simulator's control counters of the phone (GET /control/counters).
  std::uint64_t control_lcd_dumps() {
    auto r = http_call(fx.rt, "GET", sim.http_base() + "/control/counters?hwId=" + phone.hw_id);
    REQUIRE(r.status == 200);
    return std::stoull(json_member(r.body, "lcdDumps"));
  }
};

} // namespace

TEST_CASE("sim: a watcher sees the live phone, key presses and text reach it, idle screens send nothing",
          "[phone_session][sim]") {
  sim_phone_fixture s;
  auto w = s.fx.make_watcher();
  auto [t, err] = s.fx.watch(s.device, w);
  REQUIRE(t);
  REQUIRE(eventually([&] { return w.log->frame_count() >= 1 && w.log->saw_state("online"); }));
  auto last = *w.log->last_frame();
  auto v = session::parse_lcd_frame(last.bytes);
  REQUIRE(v);
  CHECK(v->codec == session::frame_codec::png_full);
  CHECK(v->device == s.device);
  const auto& m = *catalog().get(s.phone.product);
  CHECK(v->width == m.screen.width);
  CHECK(v->height == m.screen.height);
  REQUIRE(decode_png(v->png));
  canvas c;
  REQUIRE(c.catch_up(*w.log));
  CHECK(c.img.rgb == s.screen().rgb);

  // Idle: the simulator's counters show polls, the watcher gets no frame.
  auto frames = w.log->frame_count();
  auto dumps = s.control_lcd_dumps();
  REQUIRE(eventually([&] { return s.control_lcd_dumps() >= dumps + 4; }));
  CHECK(w.log->frame_count() == frames);

  // A key press: counted by the phone, and the changed screen arrives.
  REQUIRE(s.fx.command(session_fixture::make_command(s.device, command_kind::key, "D4")).ok);
  CHECK(s.counters().key_presses["4"] == 1);
  REQUIRE(eventually([&] {
    c.catch_up(*w.log);
    return w.log->frame_count() > frames && c.img.rgb == s.screen().rgb;
  }));

  auto text = s.fx.command(session_fixture::make_command(s.device, command_kind::text, "1234"));
  CHECK(text.ok);
  auto texts = s.counters().texts;
  CHECK(std::count(texts.begin(), texts.end(), "1234") == 1);
}

TEST_CASE("sim: every registration state of the live phone shows up", "[phone_session][sim]") {
  sim_phone_fixture s;
  auto w = s.fx.make_watcher();
  REQUIRE(s.fx.watch(s.device, w).first);
  REQUIRE(eventually([&] { return w.log->last_registrations().has_value(); }));
  // The phone's own slots, classified as the web app colours them, must match what arrived.
  auto expected = s.sim.phones().find(s.phone.hw_id)->with_phone([](sim_phone::phone_web& web) {
    std::map<int, std::string> out;
    for (auto& r : web.ui().registrations()) out[r.id] = std::string(models::to_string(models::classify(r)));
    return out;
  });
  std::set<std::string> kinds;
  for (auto& [id, st] : expected) kinds.insert(st);
  CHECK(kinds == std::set<std::string>{"registered", "not-configured", "disabled", "failed"});
  simdjson::dom::parser p;
  simdjson::dom::array arr;
  auto regs = "{" + *w.log->last_registrations() + "}";
  REQUIRE(p.parse(regs)["regs"].get(arr) == simdjson::SUCCESS);
  std::map<int, std::string> got;
  for (auto r : arr) {
    std::int64_t id = 0;
    std::string_view st;
    REQUIRE(r["id"].get(id) == simdjson::SUCCESS);
    REQUIRE(r["state"].get(st) == simdjson::SUCCESS);
    got[static_cast<int>(id)] = std::string(st);
  }
  CHECK(got == expected);

  // A change through the simulator's control interface follows.
  REQUIRE(http_call(s.fx.rt, "POST",
                    s.sim.http_base() + "/control/registration?hwId=" + s.phone.hw_id + "&slot=1&state=failed")
            .status == 200);
  REQUIRE(eventually([&] {
    auto r = w.log->last_registrations();
    return r && r->find("\"id\":1,\"state\":\"failed\"") != std::string::npos;
  }));
}

TEST_CASE("sim: two watchers share one poll stream", "[phone_session][sim]") {
  sim_phone_fixture s;
  auto a = s.fx.make_watcher();
  auto b = s.fx.make_watcher();
  REQUIRE(s.fx.watch(s.device, a).first);
  REQUIRE(s.fx.watch(s.device, b).first);
  REQUIRE(eventually([&] { return a.log->frame_count() >= 1 && b.log->frame_count() >= 1; }));
  auto start = s.control_lcd_dumps();
  auto t0 = std::chrono::steady_clock::now();
  REQUIRE(eventually([&] { return s.control_lcd_dumps() >= start + 8; }));
  auto dumps = s.control_lcd_dumps() - start;
  auto elapsed = std::chrono::steady_clock::now() - t0;
  CHECK(dumps <= static_cast<std::uint64_t>(elapsed / s.fx.opts.min_interval) + 2);
  auto st = s.fx.session_status(s.device);
  CHECK(json_member(st, "watchers") == "2");
  auto polls = std::stoull(json_member(st, "polls"));
  auto served = s.counters().lcd_dumps;
  CHECK(polls >= served);
  CHECK(polls <= served + 1);
}

TEST_CASE("sim: after a Devices App restart the new key lets frames resume", "[phone_session][sim][target]") {
  sim_phone_fixture s;
  auto w = s.fx.make_watcher();
  REQUIRE(s.fx.watch(s.device, w).first);
  REQUIRE(eventually([&] { return w.log->frame_count() >= 1 && w.log->saw_state("online"); }));
  auto before = *w.log->last_frame();
  auto old_key = s.login->key();

  auto r =
    http_call(s.fx.rt, "POST", s.sim.http_base() + "/control/devices/restart?down_ms=300&instance=" + s.inst()->name());
  REQUIRE(r.status == 200);
  // The old key died with its session: the phone session reports the failure.
  REQUIRE(eventually([&] { return w.log->saw_state("error") || w.log->saw_state("offline"); }, 15s));
  auto events = w.log->events_copy().size();

  // The link comes back (the registry logs in again): the new target carries the new key.
  REQUIRE(eventually([&] { return s.connected(); }, 20s));
  s.relogin();
  CHECK(s.login->key() != old_key);
  s.fx.put_target(s.target());
  REQUIRE(eventually([&] { return w.log->find_state("online", events) >= 0; }, 15s));
  REQUIRE(eventually([&] { return w.log->frame_count() > 1; }));
  auto after = *w.log->last_frame();
  CHECK(after.seq > before.seq);
  auto v = session::parse_lcd_frame(after.bytes);
  REQUIRE(v);
  CHECK(v->codec == session::frame_codec::png_full);
}

TEST_CASE("sim: actions and commands reach the phone and the audit log, offline phones get OFFLINE",
          "[phone_session][sim][commands]") {
  sim_phone_fixture s;
  auto dial = s.fx.command(session_fixture::make_command(s.device, command_kind::action, "dial", "200"));
  CHECK(dial.ok);
  auto write = s.fx.command(session_fixture::make_command(s.device, command_kind::action, "config-write"));
  CHECK(write.ok);
  auto raw = s.fx.command(session_fixture::make_command(s.device, command_kind::command, "config activate"));
  CHECK(raw.ok);
  auto c = s.counters();
  CHECK(c.last_dialled == "200");
  CHECK(c.actions["config-write"] == 1);
  CHECK(std::count(c.commands.begin(), c.commands.end(), "config activate") == 1);
  auto audit = s.fx.audit(s.device, 10);
  CHECK(audit.find("\"what\":\"command config activate\",\"ok\":true") != std::string::npos);
  CHECK(audit.find("\"what\":\"action config-write\",\"ok\":true") != std::string::npos);
  CHECK(audit.find("\"what\":\"action dial 200\",\"ok\":true") != std::string::npos);
  CHECK(audit.find("\"hwId\":\"" + s.phone.hw_id + "\"") != std::string::npos);

  // Unplugged: the registry reports it offline; nothing is sent any more.
  REQUIRE(
    http_call(s.fx.rt, "POST", s.sim.http_base() + "/control/phone/online?hwId=" + s.phone.hw_id + "&online=false")
      .status == 200);
  s.fx.put_target(s.target(false));
  auto w = s.fx.make_watcher();
  REQUIRE(s.fx.watch(s.device, w).first);
  REQUIRE(eventually([&] { return w.log->saw_state("offline"); }));
  auto requests = s.counters().requests;
  auto off = s.fx.command(session_fixture::make_command(s.device, command_kind::key, "D1"));
  CHECK(off.error == "OFFLINE");
  CHECK(s.counters().requests == requests);
  CHECK(s.fx.audit(s.device, 1).find("\"ok\":false,\"result\":\"OFFLINE:") != std::string::npos);
}
