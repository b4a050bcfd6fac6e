// The simulated phone's web server, driven only through the catalog's wire paths — the
// same paths the phone-session sends.

#include "sim/phone/phone_web.hpp"
#include "tests/sim_phone/bmp_check.hpp"

#include "common/models/device_info.hpp"
#include "common/models/registrations.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace mpk::sim_phone;
using mpk::models::reg_color;

namespace {

const mpk::models::catalog& cat() {
  static const mpk::models::catalog c = [] {
    std::string err;
    auto loaded = mpk::models::catalog::load(MPK_MODELS_DIR, err);
    REQUIRE(loaded);
    return *loaded;
  }();
  return c;
}

phone_web make(const std::string& product) {
  std::string err;
  auto p = phone_web::create(cat(), {"0090334100be", product, "13r2 sr1 [13.4250]", "Bob", "10.1.2.3", "202"}, err);
  INFO(err);
  REQUIRE(p);
  p->ui().set_clock([] { return std::int64_t{1700000000}; });
  return std::move(*p);
}

web_response get(phone_web& p, const std::string& target) { return p.handle({"GET", target, ""}); }

std::string lcd(phone_web& p) {
  auto r = get(p, cat().lcd_path(p.ui().model()));
  REQUIRE(r.status == 200);
  REQUIRE(r.content_type == "image/bmp");
  return r.body;
}

std::string key(phone_web& p, const char* id, int hold = 0) {
  std::string err;
  auto path = cat().key_request(p.ui().model(), id, hold, err);
  INFO(err);
  REQUIRE(path);
  return *path;
}

} // namespace

TEST_CASE("lcd path returns a BMP of the model's size and depth for every model") {
  for (const auto& product : cat().products()) {
    INFO(product);
    auto p = make(product);
    const auto& m = p.ui().model();
    auto bmp = lcd(p);
    auto i = bmp_check::parse(bmp);
    REQUIRE(i);
    CHECK(i->width == m.screen.width);
    CHECK(i->height == m.screen.height); // bottom-up, as BMPs usually are
    CHECK(i->bpp == m.screen.bpp);
    CHECK(i->file_size == bmp.size());
    CHECK(i->offset + bmp_check::row_bytes(*i) * static_cast<std::uint32_t>(m.screen.height) == bmp.size());
    // Not blank: the status bar and the text put at least two colours on the screen.
    auto a = bmp_check::pixel(bmp, *i, 0, 0);
    auto b = bmp_check::pixel(bmp, *i, 0, m.screen.height / 2);
    REQUIRE((a && b));
    CHECK(*a != *b);
    CHECK(p.counters().lcd_dumps == 1);
  }
}

TEST_CASE("an idle phone gives identical dumps, a key press changes the next one") {
  for (const auto& product : cat().products()) {
    INFO(product);
    auto p = make(product);
    auto first = lcd(p);
    CHECK(lcd(p) == first);
    auto r = get(p, key(p, "D7"));
    CHECK(r.status == 200);
    auto after = lcd(p);
    CHECK(after != first);
    CHECK(p.ui().dial_buffer() == "7");
    CHECK(p.counters().key_presses.at("7") == 1);
    CHECK(lcd(p) == after);
  }
}

TEST_CASE("with the seconds clock every second gives a new dump, the same second the same one") {
  for (const auto& product : cat().products()) {
    INFO(product);
    auto p = make(product);
    std::int64_t now = 1700000000;
    p.ui().set_clock([&now] { return now; });
    p.ui().set_clock_seconds(true);
    CHECK(p.ui().view().clock == "22:13:20");
    auto first = lcd(p);
    CHECK(lcd(p) == first); // the reused dump is byte-identical to a fresh one
    now += 1;
    auto next = lcd(p);
    CHECK(next != first);
    p.ui().set_clock_seconds(false);
    auto minutes = lcd(p);
    CHECK(minutes != next);
    CHECK(p.ui().view().clock == "22:13");
    // A fresh phone at the same time draws exactly what the reused dump holds.
    auto q = make(product);
    q.ui().set_clock([&now] { return now; });
    CHECK(lcd(q) == minutes);
    CHECK(p.counters().lcd_dumps == 4);
  }
}

TEST_CASE("a cache-busting query still gets the dump") {
  auto p = make("IP222");
  auto r = get(p, "/lcd_dump.bmp?nocache=0.123");
  CHECK(r.status == 200);
  CHECK(r.content_type == "image/bmp");
}

TEST_CASE("text via the text wire path appears on the dial screen") {
  auto typed = make("IP232");
  auto keyed = make("IP232");
  std::string err;
  auto path = cat().text_request(typed.ui().model(), "0049 7031", err);
  REQUIRE(path);
  CHECK(get(typed, *path).status == 200);
  CHECK(typed.counters().texts == std::vector<std::string>{"0049 7031"});
  CHECK(typed.ui().current() == screen::dial);
  CHECK(typed.ui().dial_buffer() == "0049 7031");
  // The same characters typed on the keypad (and a space from the text) give the same
  // screen, pixel for pixel: the text really is on the display.
  for (const char* k : {"D0", "D0", "D4", "D9"}) get(keyed, key(keyed, k));
  keyed.ui().type_text(" ");
  for (const char* k : {"D7", "D0", "D3", "D1"}) get(keyed, key(keyed, k));
  CHECK(lcd(typed) == lcd(keyed));
  auto idle = make("IP232");
  CHECK(lcd(typed) != lcd(idle));
}

TEST_CASE("registrations XML round-trips with all four colours") {
  auto p = make("IP112");
  p.ui().set_registration_state(0, reg_color::registered);
  p.ui().set_registration_state(1, reg_color::not_configured);
  p.ui().set_registration_state(2, reg_color::disabled);
  p.ui().set_registration_state(3, reg_color::failed);
  auto r = get(p, cat().registrations_path(p.ui().model()));
  REQUIRE(r.status == 200);
  std::string err;
  auto regs = mpk::models::parse_registrations_xml(r.body, err);
  INFO(err);
  REQUIRE(regs);
  REQUIRE(regs->size() == 4);
  CHECK(mpk::models::classify((*regs)[0]) == reg_color::registered);
  CHECK(mpk::models::classify((*regs)[1]) == reg_color::not_configured);
  CHECK(mpk::models::classify((*regs)[2]) == reg_color::disabled);
  CHECK(mpk::models::classify((*regs)[3]) == reg_color::failed);
  CHECK((*regs)[0].number == "202");
  CHECK((*regs)[3].error == "no response from registrar");
}

TEST_CASE("info XML carries the identity") {
  auto p = make("IP241");
  auto r = get(p, cat().info_path(p.ui().model()));
  REQUIRE(r.status == 200);
  std::string err;
  auto info = mpk::models::parse_info_xml(r.body, err);
  REQUIRE(info);
  CHECK(info->product == "IP241");
  CHECK(info->hw_id == "0090334100be");
  CHECK(info->version == "13r2 sr1 [13.4250]");
  CHECK(info->ip == "10.1.2.3");
  CHECK(info->name == "Bob");
  CHECK(info->number == "202");
}

TEST_CASE("commands and actions are counted and act") {
  auto p = make("IP222");
  const auto& m = p.ui().model();
  std::string err;
  auto cmd = [&](const char* c) { return get(p, *cat().command_request(m, c, err)); };
  auto act = [&](const char* a, const char* arg = "") {
    auto path = cat().action_request(m, a, arg, err);
    INFO(err);
    REQUIRE(path);
    return get(p, *path);
  };
  CHECK(cmd("config write").body == "ok\n");
  CHECK(cmd("mod cmd CPU mips-usage").body.find("<info mips=") == 0);
  CHECK(cmd("frobnicate").body == "error: unknown command\n");
  CHECK(act("config-write").status == 200);
  CHECK(act("update-check").body == "UP1: check started\n");
  CHECK_FALSE(p.reboot_pending());

  CHECK(act("dial", "+49 7031 73009").status == 200);
  CHECK(p.counters().last_dialled == "+49 7031 73009");
  CHECK(p.ui().current() == screen::calling);
  CHECK(act("hangup", "1").body == "<ok/>\n");
  CHECK(p.ui().current() == screen::idle);
  CHECK(act("hangup", "1").body == "<error reason=\"no such call\"/>\n");

  p.ui().press("D5");
  CHECK(act("reboot").body == "reset\n");
  CHECK(p.reboot_pending());
  CHECK(p.ui().current() == screen::idle); // the UI started over
  CHECK(p.take_reboot());
  CHECK_FALSE(p.take_reboot());
  CHECK(act("reboot-idle").status == 200);
  CHECK(p.counters().reboots == 2);

  const auto& c = p.counters();
  CHECK(c.commands == std::vector<std::string>{"config write", "mod cmd CPU mips-usage", "frobnicate", "config write",
                                               "mod cmd UP1 check iresetn 0", "reset", "ireset"});
  // A raw "config write" is the very path of the config-write action: the phone cannot
  // tell them apart, so both count as that action.
  CHECK(c.actions.at("config-write") == 2);
  CHECK(c.actions.at("update-check") == 1);
  CHECK(c.actions.at("dial") == 1);
  CHECK(c.actions.at("hangup") == 2);
  CHECK(c.actions.at("reboot") == 1);
  CHECK(c.actions.at("reboot-idle") == 1);
  CHECK(c.actions.count("config-activate") == 0);
}

TEST_CASE("touch via the wire on the touch model") {
  auto p = make("IP232");
  const auto& m = p.ui().model();
  std::string err;
  const auto& l = p.ui().layout();
  auto path = cat().touch_request(m, l.button(0).x + 4, l.button(0).y + 4, 0, err);
  REQUIRE(path);
  CHECK(get(p, *path).status == 200);
  CHECK(p.ui().current() == screen::menu);
  CHECK(p.counters().touches == 1);
  CHECK(get(p, "/PHONE/APP/mod_cmd.xml?cmd=xml-touch&x=480&y=1&ms=0").status == 400);
  auto q = make("IP222");
  CHECK(get(q, "/PHONE/APP/mod_cmd.xml?cmd=xml-touch&x=1&y=1&ms=0").status == 400);
}

TEST_CASE("bad requests get 400, unknown paths 404, other methods 405") {
  auto p = make("IP111");
  CHECK(get(p, "/nothing-here").status == 404);
  CHECK(get(p, "/PHONE/APP/mod_cmd.xml?cmd=xml-unknown").status == 404);
  CHECK(get(p, "/PHONE/APP/mod_cmd.xml?cmd=xml-key&key=nope&ms=0").status == 400);
  CHECK(get(p, "/PHONE/APP/mod_cmd.xml?cmd=xml-key&key=f9&ms=0").status == 400); // IP111 has 8
  CHECK(get(p, "/PHONE/APP/mod_cmd.xml?cmd=xml-key&key=1&ms=99999").status == 400);
  CHECK(get(p, "/PHONE/APP/mod_cmd.xml?cmd=xml-key&key=1&ms=-1").status == 400);
  CHECK(get(p, "/PHONE/APP/mod_cmd.xml?cmd=xml-text&text=a%0Ab").status == 400);
  CHECK(get(p, "/PHONE/APP/mod_cmd.xml?cmd=xml-text&text=%C3").status == 400);
  CHECK(get(p, "/PHONE/APP/mod_cmd.xml?cmd=xml-key&key=%G1&ms=0").status == 400);
  CHECK(get(p, "/!%20%20").status == 400);
  CHECK(get(p, "/!reset%0D%0AX").status == 400);
  CHECK(get(p, "").status == 400);
  CHECK(get(p, "lcd_dump.bmp").status == 400);
  CHECK(get(p, "/" + std::string(9000, 'a')).status == 400);
  CHECK(p.handle({"POST", "/lcd_dump.bmp", ""}).status == 405);
  auto head = p.handle({"HEAD", "/lcd_dump.bmp", ""});
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(p.counters().not_found == 2);
  CHECK(p.counters().bad_requests == 13); // 12 x 400 + the 405
  CHECK_FALSE(p.reboot_pending());
  CHECK(p.counters().key_presses.empty());
}

TEST_CASE("admin page for the admin-UI shortcut") {
  auto p = make("IP160");
  for (const char* path : {"/", "/admin.xml"}) {
    auto r = get(p, path);
    CHECK(r.status == 200);
    CHECK(r.content_type == "text/html; charset=utf-8");
    CHECK(r.body.find("innovaphone IP160") != std::string::npos);
    CHECK(r.body.find("0090334100be") != std::string::npos);
  }
}

TEST_CASE("create refuses products the catalog refuses") {
  std::string err;
  CHECK_FALSE(phone_web::create(cat(), {"x", "IP150", "13r1", "", "", ""}, err));
  CHECK(err == "unsupported model IP150: no V13 firmware");
  CHECK_FALSE(phone_web::create(cat(), {"x", "IP222", "12r2", "", "", ""}, err));
  CHECK(err == "firmware V12 too old (needs V13)");
  CHECK_FALSE(phone_web::create(cat(), {"x", "IPX", "13r1", "", "", ""}, err));
  CHECK(err == "unknown model IPX");
}

TEST_CASE("random and mutated requests never break the phone") {
  // Pieces of real wire paths, shuffled and mutated: every answer is 200, 400 or 404 and
  // the phone keeps serving valid dumps. Run under MPK_SANITIZE to check memory safety.
  auto p = make("IP232");
  const auto& m = p.ui().model();
  std::vector<std::string> seeds = {
    cat().lcd_path(m), cat().registrations_path(m), cat().info_path(m), "/!config%20write", "/!reset", "/",
    "/admin.xml"};
  std::string err;
  for (const char* k : {"D1", "HASH", "OK", "F2", "HOOK"}) seeds.push_back(*cat().key_request(m, k, 1200, err));
  seeds.push_back(*cat().touch_request(m, 100, 100, 0, err));
  seeds.push_back(*cat().text_request(m, "ä b&c", err));
  seeds.push_back(*cat().action_request(m, "dial", "123", err));
  static const char abc[] = "/?&=%{}!+ #aZ09\x00\xff\xc3";
  const std::string alphabet(abc, sizeof abc - 1); // includes the NUL byte
  std::mt19937 rng(7);
  for (int i = 0; i < 4000; ++i) {
    std::string t = seeds[rng() % seeds.size()];
    const int edits = static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !t.empty(); ++e) {
      const size_t pos = rng() % t.size();
      switch (rng() % 3) {
        case 0: t[pos] = alphabet[rng() % alphabet.size()]; break;
        case 1: t.erase(pos, 1 + rng() % 3); break;
        default: t.insert(pos, seeds[rng() % seeds.size()].substr(0, 1 + rng() % 12)); break;
      }
    }
    auto r = get(p, t);
    INFO(t);
    CHECK((r.status == 200 || r.status == 400 || r.status == 404));
  }
  p.take_reboot();
  auto i = bmp_check::parse(lcd(p));
  REQUIRE(i);
  CHECK(i->width == 480);
}
