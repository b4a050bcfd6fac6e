// The phone UI state machine: screens, calls, menus, long presses, touch, registrations.

#include "sim/phone/lcd_renderer.hpp"
#include "sim/phone/phone_ui.hpp"

#include "common/models/catalog.hpp"

#include <catch2/catch.hpp>

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

phone_ui make(const char* product) {
  phone_identity id{"009033020202", product, "13r2 sr1", "Alice", "10.0.0.12", "101"};
  phone_ui ui(*cat().get(product), id);
  ui.set_clock([] { return std::int64_t{1700000000}; }); // 2023-11-14 22:13 UTC
  return ui;
}

std::string line(const phone_ui& ui, size_t i) {
  auto v = ui.view();
  return i < v.lines.size() ? v.lines[i].text : std::string("<none>");
}

} // namespace

TEST_CASE("idle screen shows name, number, clock and registration") {
  auto ui = make("IP222");
  auto v = ui.view();
  CHECK(v.kind == screen::idle);
  CHECK(v.title == "Alice");
  CHECK(v.clock == "22:13");
  CHECK(v.reg == reg_color::registered);
  CHECK(line(ui, 0) == "Alice");
  CHECK(line(ui, 1) == "101");
  CHECK(line(ui, 2) == "Registered");
}

TEST_CASE("typed digits, then OK calls and CANCEL hangs up") {
  auto ui = make("IP222");
  for (const char* k : {"D1", "D0", "D2", "STAR", "HASH"}) REQUIRE(ui.press(k));
  CHECK(ui.current() == screen::dial);
  CHECK(ui.dial_buffer() == "102*#");
  CHECK(line(ui, 1) == "102*#");
  ui.press("LEFT"); // backspace
  CHECK(ui.dial_buffer() == "102*");
  ui.press("OK");
  CHECK(ui.current() == screen::calling);
  CHECK(line(ui, 0) == "Calling");
  CHECK(line(ui, 1) == "102*");
  ui.press("D5"); // DTMF in a call does not change the number
  CHECK(ui.call_number() == "102*");
  CHECK(ui.view().notice == "DTMF 5");
  ui.press("CANCEL");
  CHECK(ui.current() == screen::idle);
  CHECK(ui.call_history() == std::vector<std::string>{"102*"});
  ui.press("REDIAL");
  CHECK(ui.current() == screen::calling);
  CHECK(ui.call_number() == "102*");
}

TEST_CASE("hook and speaker start and end calls") {
  auto ui = make("IP112");
  ui.press("HOOK"); // off-hook: dial screen
  CHECK(ui.current() == screen::dial);
  CHECK(ui.view().off_hook);
  ui.press("D7");
  ui.press("SPEAKER");
  CHECK(ui.current() == screen::calling);
  ui.press("HOOK"); // on-hook hangs up
  CHECK(ui.current() == screen::idle);
  CHECK_FALSE(ui.view().off_hook);

  ui.press("D4");
  ui.press("D2");
  ui.press("HOOK"); // lifting the handset with a number typed calls it
  CHECK(ui.current() == screen::calling);
  CHECK(ui.call_number() == "42");
  CHECK(ui.hangup());
  CHECK_FALSE(ui.hangup());
}

TEST_CASE("long press enters the key's letter") {
  auto ui = make("IP102");
  ui.press("D2", 1000);
  ui.press("D3", 999);
  ui.press("D9", 5000);
  ui.press("D0", 1500);
  ui.press("D1", 2000); // no letters: the digit
  CHECK(ui.dial_buffer() == "a3w+1");
}

TEST_CASE("menu opens, moves, selects and goes back") {
  auto ui = make("IP232");
  ui.press("MENU");
  CHECK(ui.current() == screen::menu);
  CHECK(ui.view().lines.at(0).selected);
  ui.press("DOWN");
  ui.press("DOWN");
  CHECK(ui.menu_index() == 2);
  CHECK(ui.view().lines.at(2).selected);
  ui.press("UP");
  ui.press("UP");
  ui.press("UP"); // wraps
  CHECK(ui.menu_index() == 5);
  ui.press("UP");
  ui.press("UP");
  ui.press("UP");
  CHECK(ui.menu_index() == 2);
  ui.press("OK");
  CHECK(ui.current() == screen::page);
  CHECK(ui.view().title == "Registrations");
  CHECK(line(ui, 0) == "User-1 101 registered");
  CHECK(line(ui, 1) == "User-2 - not-configured");
  ui.press("CANCEL");
  CHECK(ui.current() == screen::menu);
  ui.press("D4"); // digit selects item 4
  CHECK(ui.view().title == "Phone info");
  CHECK(line(ui, 0) == "Product IP232");
  ui.press("HOME");
  CHECK(ui.current() == screen::idle);
}

TEST_CASE("touch selects a menu line and presses on-screen buttons") {
  auto ui = make("IP232");
  const auto& l = ui.layout();
  // Bottom-left button on idle is "Menu".
  REQUIRE(ui.touch(l.button(0).x + 5, l.button(0).y + 5));
  CHECK(ui.current() == screen::menu);
  // Touch the fourth menu line: opens "Phone info".
  rect r = l.line(3);
  REQUIRE(ui.touch(r.x + 10, r.y + 2));
  CHECK(ui.current() == screen::page);
  CHECK(ui.view().title == "Phone info");
  // Outside the screen or on a non-touch model: refused.
  CHECK_FALSE(ui.touch(480, 10));
  CHECK_FALSE(ui.touch(-1, 10));
  auto ui2 = make("IP222");
  CHECK_FALSE(ui2.touch(10, 10));
  // Dial screen: typing then the right button ("Call") calls.
  ui.press("HOME");
  ui.press("D9");
  REQUIRE(ui.touch(l.button(2).x + 5, l.button(2).y + 5));
  CHECK(ui.current() == screen::calling);
}

TEST_CASE("text entry goes to the dial screen") {
  auto ui = make("IP111");
  REQUIRE(ui.type_text("Müller 42"));
  CHECK(ui.current() == screen::dial);
  CHECK(ui.dial_buffer() == "Müller 42");
  ui.press("SK1"); // Del
  CHECK(ui.dial_buffer() == "Müller 4");
  ui.type_text(std::string(100, 'x'));      // capped at 64 characters
  CHECK(ui.dial_buffer().size() == 64 + 1); // 'ü' takes two bytes
}

TEST_CASE("letter keyboard models type letters with shift") {
  auto ui = make("IP241");
  ui.press("SHIFT");
  ui.press("ALPHA_H");
  ui.press("ALPHA_I");
  ui.press("SPACE");
  ui.press("D5");
  CHECK(ui.dial_buffer() == "Hi 5");
  CHECK_FALSE(make("IP222").press("ALPHA_A"));
}

TEST_CASE("function keys toggle their LED and flash a label") {
  auto ui = make("IP222");
  ui.set_function_key_label(3, "Queue");
  REQUIRE(ui.press("F3"));
  CHECK(ui.led(3));
  CHECK(ui.view().notice == "F3 Queue on");
  ui.press("F3");
  CHECK_FALSE(ui.led(3));
  // The flash ends after a few seconds of the (injected) clock.
  std::int64_t t = 1700000000;
  ui.set_clock([&t] { return t; });
  ui.press("F1");
  CHECK(ui.view().notice == "F1 Partner on");
  t += 5;
  CHECK(ui.view().notice.empty());
  CHECK_FALSE(make("IP101").press("F1")); // IP101 has no function keys
}

TEST_CASE("registration states drive the status icon") {
  auto ui = make("IP222");
  CHECK(ui.set_registration_state(0, reg_color::failed));
  CHECK(ui.view().reg == reg_color::failed);
  CHECK(line(ui, 2) == "Registration failed");
  ui.set_registration_state(0, reg_color::disabled);
  CHECK(ui.view().reg == reg_color::disabled);
  ui.set_registration_state(0, reg_color::not_configured);
  CHECK(ui.view().reg == reg_color::not_configured);
  ui.set_registration_state(2, reg_color::registered);
  CHECK(ui.view().reg == reg_color::registered); // first configured slot counts
  CHECK_FALSE(ui.set_registration_state(-1, reg_color::registered));
  CHECK_FALSE(ui.set_registration_state(64, reg_color::registered));
  const auto& regs = ui.registrations();
  REQUIRE(regs.size() == 4);
  CHECK(mpk::models::classify(regs[2]) == reg_color::registered);
}

TEST_CASE("every key of every model is handled without leaving a sane state") {
  for (const auto& p : cat().products()) {
    INFO(p);
    auto ui = make(p.c_str());
    for (const auto& k : ui.model().keys)
      for (int hold : {0, 1500}) {
        CHECK(ui.press(k.id, hold));
        auto fb = render_lcd(ui);
        CHECK(fb.width() == ui.model().screen.width);
      }
    CHECK_FALSE(ui.press("NO_SUCH_KEY"));
  }
}
