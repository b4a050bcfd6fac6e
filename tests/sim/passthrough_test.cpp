// Passthrough HTTP through the sysclient tunnel to live phones (docs/spec/devices-api.md §3, §5.4).

#include "tests/sim/live_fixture.hpp"

#include "common/sysclient/codec.hpp"
#include "common/crypto/sysclient_crypto.hpp"

#include <catch2/catch.hpp>

using namespace mpk;
using namespace mpk::test;

namespace {

sim::population_options pt_population() {
  sim::population_options po;
  po.seed = 11;
  po.devices = 120;
  po.domains = 4;
  po.live_phones = static_cast<std::size_t>(catalog_products().size());
  po.tenants = 1;
  po.supported = catalog_products();
  po.unsupported = {"IP150"};
  return po;
}

const models::model& model_of(const sim::live_phone_spec& s) { return *test_catalog().get(s.product); }

std::string rel(const std::string& path) { return path.substr(1); } // device uri ends with '/'

} // namespace

TEST_CASE("passthrough: lcd_dump.bmp of every live model has the model's size and depth") {
  live_fixture fx(pt_population());
  REQUIRE(fx.all_online());
  auto view = admin_login_and_list(fx);
  for (auto& s : fx.pop.live) {
    INFO(s.product);
    const auto& m = model_of(s);
    auto uri = view.uri_by_hw.at(s.hw_id);
    auto res = http_get(fx.rt, uri + rel(test_catalog().lcd_path(m)));
    REQUIRE(res.ok);
    CHECK(res.status == 200);
    auto bmp = read_bmp_header(res.body);
    REQUIRE(bmp);
    CHECK(bmp->width == m.screen.width);
    CHECK(bmp->height == m.screen.height);
    CHECK(bmp->bpp == m.screen.bpp);
  }
}

TEST_CASE("passthrough: a key press changes the next dump and is counted") {
  live_fixture fx(pt_population());
  REQUIRE(fx.all_online());
  auto view = admin_login_and_list(fx);
  // The largest screen: its dump needs many ≤ 8000-byte receive results.
  const sim::live_phone_spec* spec = nullptr;
  for (auto& s : fx.pop.live)
    if (!spec || model_of(s).screen.width * model_of(s).screen.height >
                   model_of(*spec).screen.width * model_of(*spec).screen.height)
      spec = &s;
  REQUIRE(spec);
  const auto& m = model_of(*spec);
  auto uri = view.uri_by_hw.at(spec->hw_id);
  auto lcd = uri + rel(test_catalog().lcd_path(m));
  auto a = http_get(fx.rt, lcd);
  auto b = http_get(fx.rt, lcd);
  REQUIRE(a.status == 200);
  CHECK(a.body.size() > 8000);
  CHECK(a.body == b.body); // idle phone: identical dumps

  std::string err;
  auto key = test_catalog().key_request(m, "D5", 0, err);
  REQUIRE(key);
  auto pressed = http_get(fx.rt, uri + rel(*key));
  CHECK(pressed.status == 200);
  auto c = http_get(fx.rt, lcd);
  REQUIRE(c.status == 200);
  CHECK(c.body != a.body);

  auto phone = fx.fleet.find(spec->hw_id);
  auto code = *m.key_code("D5");
  CHECK(phone->with_phone([&](sim_phone::phone_web& w) { return w.counters().key_presses.at(code); }) == 1);
  CHECK(phone->with_phone([](sim_phone::phone_web& w) { return w.counters().lcd_dumps; }) == 3);
}

TEST_CASE("passthrough: bad key, unknown device, offline device and faults") {
  live_fixture fx(pt_population());
  REQUIRE(fx.all_online());
  auto view = admin_login_and_list(fx);
  auto& s = fx.pop.live.at(0);
  auto uri = view.uri_by_hw.at(s.hw_id);
  auto prefix = fx.http_base + fx.inst()->path() + "/passthrough/";

  auto bad_key = http_get(fx.rt, prefix + s.hw_id + "/00000000-0000-4000-8000-000000000000/lcd_dump.bmp");
  CHECK(bad_key.status == 403);
  CHECK(bad_key.body.find("invalid or expired session key") != std::string::npos);

  auto unknown = http_get(fx.rt, prefix + "0090aaaaaaaa/" + view.key + "/lcd_dump.bmp");
  CHECK(unknown.status == 404);

  // A DB-only device that is flagged online: there is no phone behind it.
  std::string db_only;
  for (auto& d : fx.inst()->devices())
    if (!d.live && d.online && d.domain_id != 0) {
      db_only = d.hw_id;
      break;
    }
  REQUIRE_FALSE(db_only.empty());
  auto none = http_get(fx.rt, prefix + db_only + "/" + view.key + "/lcd_dump.bmp");
  CHECK(none.status == 503);
  CHECK(none.body.find("no live sysclient") != std::string::npos);

  // Unplug a live phone: 503 "device offline".
  fx.fleet.find(s.hw_id)->set_online(false);
  REQUIRE(eventually([&] { return !fx.inst()->device_by_hw(s.hw_id)->online; }));
  auto off = http_get(fx.rt, uri + "lcd_dump.bmp");
  CHECK(off.status == 503);
  fx.fleet.find(s.hw_id)->set_online(true);
  REQUIRE(eventually([&] { return fx.inst()->device_by_hw(s.hw_id)->online; }));
  CHECK(http_get(fx.rt, uri + "lcd_dump.bmp").status == 200);

  // A session key of a domain-local session does not reach devices of other domains.
  const sim::domain_record* other = nullptr;
  for (auto& d : fx.pop.instances[0].domains)
    if (d.id != s.domain_id) other = &d;
  REQUIRE(other);
  auto local = ws_client::open(fx.rt, fx.service_url());
  REQUIRE(local);
  REQUIRE(json_doc(app_login(*local, "devices-api", other->name, "x", other->password)).boolean("ok") ==
          std::optional<bool>(true));
  local->send_text(R"({"mt":"GetUserInfo"})");
  auto lk = json_doc(*local->next_mt("GetUserInfoResult")).str("key");
  CHECK(http_get(fx.rt, prefix + s.hw_id + "/" + lk + "/lcd_dump.bmp").status == 403);

  // The key dies with its session.
  local->close();
  REQUIRE(local->wait_closed());
  CHECK(eventually([&] { return http_get(fx.rt, prefix + s.hw_id + "/" + lk + "/x").status == 403; }));

  fx.inst()->set_passthrough_fault(std::chrono::milliseconds(0), true);
  CHECK(http_get(fx.rt, uri + "lcd_dump.bmp").status == 502);
  fx.inst()->set_passthrough_fault(std::chrono::milliseconds(50), false);
  CHECK(http_get(fx.rt, uri + "lcd_dump.bmp").status == 200);

  // Unknown phone paths are the phone's own 404.
  CHECK(http_get(fx.rt, uri + "no/such/page").status == 404);
}

TEST_CASE("passthrough: a device that never answers gives 504") {
  sim::instance_options io;
  io.passthrough_timeout = std::chrono::milliseconds(300);
  auto po = pt_population();
  po.live_phones = 0;
  live_fixture fx(po, io);
  auto inst = fx.inst();
  std::optional<sim::device_record> dev;
  for (auto& d : inst->devices())
    if (d.domain_id != 0) {
      dev = d;
      break;
    }
  REQUIRE(dev);
  inst->set_online_flag(dev->hw_id, false); // the seed may have flagged it online: wait for the real link
  // A raw sysclient that logs in and then ignores the tunnel.
  auto ws = ws_client::open(fx.rt, fx.sysclient_url());
  REQUIRE(ws);
  auto ident = [&](const std::string& digest) {
    std::string j = R"({"id":")" + dev->hw_id + R"(","product":")" + dev->product + R"(","version":")" + dev->version +
                    R"(","platform":{"type":"PHONE"})" + (digest.empty() ? "" : R"(,"digest":")" + digest + "\"") + "}";
    return sysclient::encode(sysclient::admin_message{0, j});
  };
  ws->send_binary(ident({}));
  auto f = ws->next();
  REQUIRE(f);
  auto msg = sysclient::decode(f->data);
  REQUIRE(msg.msg);
  auto challenge = json_doc(std::get<sysclient::admin_message>(*msg.msg).json).str("challenge");
  ws->send_binary(
    ident(crypto::sysclient_digest(dev->hw_id, dev->product, dev->version, challenge, dev->sysclient_password)));
  REQUIRE(eventually([&] { return inst->device_by_hw(dev->hw_id)->online; }));
  auto view = admin_login_and_list(fx);
  auto res = http_get(fx.rt, view.uri_by_hw.at(dev->hw_id) + "lcd_dump.bmp");
  CHECK(res.status == 504);
  // The tunnel sent the request bytes: event 0 with an HTTP GET of the device path.
  bool saw_send = false;
  while (auto fr = ws->next(200ms)) {
    auto d = sysclient::decode(fr->data);
    if (!d.msg) continue;
    if (auto* t = std::get_if<sysclient::tunnel_message>(&*d.msg))
      if (t->event == 0 && t->data.rfind("GET /lcd_dump.bmp HTTP/1.1\r\n", 0) == 0) saw_send = true;
  }
  CHECK(saw_send);
}

TEST_CASE("passthrough: a reset command reboots the phone, it comes back") {
  live_fixture fx(pt_population());
  REQUIRE(fx.all_online());
  auto view = admin_login_and_list(fx);
  auto& s = fx.pop.live.at(1);
  const auto& m = model_of(s);
  std::string err;
  auto cmd = test_catalog().command_request(m, "reset", err);
  REQUIRE(cmd);
  auto phone = fx.fleet.find(s.hw_id);
  auto before = phone->connects();
  auto res = http_get(fx.rt, view.uri_by_hw.at(s.hw_id) + rel(*cmd));
  CHECK(res.status == 200);
  CHECK(eventually([&] { return phone->connects() > before && fx.inst()->device_by_hw(s.hw_id)->online; }));
  CHECK(phone->with_phone([](sim_phone::phone_web& w) { return w.counters().reboots; }) == 1);
}

TEST_CASE("passthrough: a phone fault answers garbage bodies or nothing, only for that phone") {
  sim::instance_options io;
  io.passthrough_timeout = std::chrono::milliseconds(500);
  live_fixture fx(pt_population(), io);
  REQUIRE(fx.all_online());
  auto view = admin_login_and_list(fx);
  auto& faulty = fx.pop.live.at(0);
  auto& other = fx.pop.live.at(1);
  const auto faulty_dump = view.uri_by_hw.at(faulty.hw_id) + rel(test_catalog().lcd_path(model_of(faulty)));
  const auto other_dump = view.uri_by_hw.at(other.hw_id) + rel(test_catalog().lcd_path(model_of(other)));

  fx.fleet.find(faulty.hw_id)->set_fault(sim::phone_fault::garbage);
  auto garbage = http_get(fx.rt, faulty_dump);
  CHECK(garbage.status == 200);
  CHECK(garbage.body.size() >= 64);
  CHECK_FALSE(read_bmp_header(garbage.body)); // the body is not a screen dump any more
  CHECK(read_bmp_header(http_get(fx.rt, other_dump).body));

  fx.fleet.find(faulty.hw_id)->set_fault(sim::phone_fault::silent);
  CHECK(http_get(fx.rt, faulty_dump).status == 504); // the Devices side gives up
  CHECK(http_get(fx.rt, other_dump).status == 200);

  fx.fleet.find(faulty.hw_id)->set_fault(sim::phone_fault::none);
  CHECK(read_bmp_header(http_get(fx.rt, faulty_dump).body));
}
