// The wire check through the phone manager: every read-only candidate of a phone reported, acts
// run between LCD dumps, and the working forms as a wire file.
#include "tests/phone_session/fake_passthrough.hpp"
#include "tests/phone_session/session_fixture.hpp"
#include "tests/phone_session/test_catalog.hpp"

#include <catch2/catch.hpp>
#include <simdjson.h>

using namespace mpk;
using namespace mpk::test;

namespace {

const std::string hw = "009033000b01";
const std::string device = "t/devices:b1";

/// The candidate report `index` of entry `name`.
simdjson::dom::element candidate(simdjson::dom::element report, std::string_view name, std::size_t index) {
  for (auto e : report["entries"].get_array()) {
    std::string_view entry;
    if (e["entry"].get(entry) == simdjson::SUCCESS && entry == name) return e["candidates"].at(index);
  }
  FAIL("no entry " << name);
  return {};
}

std::vector<std::int64_t> working(simdjson::dom::element report, std::string_view name) {
  std::vector<std::int64_t> out;
  for (auto e : report["entries"].get_array()) {
    std::string_view entry;
    if (e["entry"].get(entry) == simdjson::SUCCESS && entry == name)
      for (auto i : e["working"].get_array()) out.push_back(std::int64_t(i));
  }
  return out;
}

std::string str(simdjson::dom::element e) { return std::string(std::string_view(e)); }

/// Key presses that reached the phone, of any key.
std::uint64_t presses(fake_passthrough& pt, const std::string& hw_id) {
  return pt.with_phone(hw_id, [](sim_phone::phone_web& w) {
    std::uint64_t n = 0;
    for (const auto& [code, count] : w.counters().key_presses) n += count;
    return n;
  });
}

} // namespace

TEST_CASE("the wire check reports every read-only candidate and runs acts between two LCD dumps",
          "[phone_session][wire][wirecheck]") {
  session_fixture fx;
  fake_passthrough pt{fx.rt};
  pt.add_phone(hw, "IP232", "101", dialect_of("IP232"));
  fx.put_target(pt.target(device, hw));

  // First an act in a form the phone does not speak, then one in its own: the report says which
  // one the screen showed.
  auto text = fx.wire_check(device, {"key:0:MENU", "key:3:MENU"});
  INFO(text);
  simdjson::dom::parser parser;
  simdjson::dom::element r;
  REQUIRE(parser.parse(text).get(r) == simdjson::SUCCESS);
  CHECK(str(r["device"]) == device);
  CHECK(str(r["product"]) == "IP232");
  CHECK(str(r["family"]) == "IP2x2");
  CHECK(str(r["version"]) == "13r2 sr1 [13.4250/131286/1300]");
  CHECK(str(r["via"]) == "passthrough");
  CHECK(str(r["wireOrigin"]) == "built-in");
  CHECK(double(r["ms"]) > 0);

  // lcd: the 3rd form is the phone's; the others were refused with 404.
  CHECK(working(r, "lcd") == std::vector<std::int64_t>{2});
  auto lcd0 = candidate(r, "lcd", 0);
  CHECK(str(lcd0["form"]) == "/lcd_dump.bmp");
  CHECK(str(lcd0["request"]) == "/lcd_dump.bmp");
  CHECK(int64_t(lcd0["status"]) == 404);
  CHECK(str(lcd0["result"]) == "not-this-form");
  CHECK(lcd0["parsed"].is_null());
  CHECK_FALSE(str(lcd0["source"]).empty());
  auto lcd2 = candidate(r, "lcd", 2);
  CHECK(str(lcd2["request"]) == "/PHONE/APP/lcd_dump.bmp");
  CHECK(int64_t(lcd2["status"]) == 200);
  CHECK(str(lcd2["contentType"]) == "image/bmp");
  CHECK(uint64_t(lcd2["bytes"]) == 14 + 40 + 12 + 480 * 272 * 2); // headers, RGB565 masks, pixels
  CHECK(double(lcd2["ms"]) > 0);
  CHECK(str(lcd2["result"]) == "works");
  CHECK(int64_t(lcd2["parsed"]["width"]) == 480);
  CHECK(int64_t(lcd2["parsed"]["height"]) == 272);
  CHECK(int64_t(lcd2["parsed"]["depth"]) == 16);

  // registrations: the V9 status-page form (3rd); its answer parsed to the phone's slots.
  CHECK(working(r, "registrations") == std::vector<std::int64_t>{2});
  auto regs = candidate(r, "registrations", 2);
  auto slots = pt.with_phone(hw, [](sim_phone::phone_web& w) { return w.ui().registrations().size(); });
  CHECK(uint64_t(regs["parsed"]["count"]) == slots);
  CHECK(str(regs["parsed"]["slots"].at(0)["state"]) == "registered");
  CHECK(str(candidate(r, "registrations", 0)["result"]) == "not-this-form");

  // info: the CMD0 form (2nd); its fields are the phone's.
  CHECK(working(r, "info") == std::vector<std::int64_t>{1});
  auto info = candidate(r, "info", 1);
  CHECK(str(info["parsed"]["product"]) == "IP232");
  CHECK(str(info["parsed"]["hwId"]) == hw);

  // key: two acts, the others not run.
  CHECK(working(r, "key") == std::vector<std::int64_t>{3});
  auto k0 = candidate(r, "key", 0);
  CHECK(str(k0["request"]) == "/PHONE/APP/mod_cmd.xml?cmd=xml-key&key=menu&ms=0");
  CHECK(int64_t(k0["status"]) == 404);
  CHECK(str(k0["result"]) == "not-this-form");
  CHECK(int64_t(k0["lcdBefore"]["status"]) == 200);
  CHECK(int64_t(k0["lcdAfter"]["status"]) == 200);
  CHECK(bool(k0["visible"]) == false);
  auto k3 = candidate(r, "key", 3);
  CHECK(str(k3["request"]) == "/!mod%20cmd%20PHONE/APP%20key%20menu");
  CHECK(int64_t(k3["status"]) == 200);
  CHECK(str(k3["result"]) == "works");
  CHECK(bool(k3["visible"]) == true);
  CHECK(str(candidate(r, "key", 1)["result"]) == "not-run");
  CHECK(str(candidate(r, "touch", 0)["result"]) == "not-run");
  for (auto e : r["entries"].get_array()) // only the verified command form is never searched
    CHECK(bool(e["searched"]) == (std::string_view(e["entry"]) != "command"));
  CHECK(presses(pt, hw) == 1);

  // The working forms as a wire file: loadable, and it names this phone's forms.
  auto wire_file = simdjson::minify(r["wireFile"]);
  std::string err;
  auto book = models::wire_book::parse(catalog(), wire_file, "saved.json", err);
  INFO(err);
  REQUIRE(book);
  CHECK(book->find("IP232")->form("lcd") == "/PHONE/APP/lcd_dump.bmp");
  CHECK(book->find("IP232")->form("key") == "/!mod cmd PHONE/APP key {code}");
  CHECK(book->find("IP232")->form("registrations") == "/PHONE/USER-UI/mod_cmd.xml?cmd=xml-reg-status");
  CHECK(book->find("IP232")->candidate("registrations")->format ==
        dialect_of("IP232")->candidate("registrations")->format);
  CHECK(book->find("IP232")->entry("touch")->candidates.size() == 2); // not confirmed: left as it is
  CHECK(book->changed() == std::vector<std::string>{"IP232"});

  // The acts are phone operations: they are in the audit log.
  auto audit = fx.audit(device, 10);
  CHECK(audit.find("wire check, acts: key:0:MENU, key:3:MENU") != std::string::npos);
}

TEST_CASE("the wire check refuses what it cannot run and says why", "[phone_session][wire][wirecheck]") {
  session_fixture fx;
  fake_passthrough pt{fx.rt};
  pt.add_phone(hw, "IP222", "101");
  fx.put_target(pt.target(device, hw));
  CHECK(fx.wire_check(device, {"command:0:reset"}).find("entry must be key, touch or text") != std::string::npos);
  CHECK(fx.wire_check(device, {"key:9:MENU"}).find("key has no candidate 9") != std::string::npos);
  CHECK(fx.wire_check(device, {"key:zero:MENU"}).find("error: ") == 0);
  CHECK(fx.wire_check("t/devices:nope").find("unknown device") != std::string::npos);
  // An act the model refuses (a key it lacks) is reported, not sent.
  auto r = fx.wire_check(device, {"key:0:ALPHA_Q"});
  CHECK(r.find("\"result\":\"refused\"") != std::string::npos);
  CHECK(r.find("unknown key \\\"ALPHA_Q\\\" for IP222") != std::string::npos);
  pt.set_online(hw, false);
  auto offline = fx.wire_check(device);
  // The passthrough answers 503 for every candidate: nothing is learned about the forms.
  CHECK(offline.find("\"result\":\"no-answer\"") != std::string::npos);
  CHECK(offline.find("\"result\":\"works\"") == std::string::npos);

  // Its devices-api link down: the phone's state is unknown, so not OFFLINE but try again later.
  auto t = pt.target(device, hw);
  t.link_up = false;
  t.base_url.clear();
  t.epoch += 1;
  fx.put_target(t);
  auto unknown = fx.wire_check(device);
  CHECK(unknown.find("devices-api link down") != std::string::npos);
  CHECK(unknown.find("offline") == std::string::npos);
}
