// What the phone_ui shows: the screen_view of each screen and the menu pages.

#include "sim/phone/phone_ui.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace mpk::sim_phone {

using models::reg_color;

namespace {

std::string reg_text(reg_color c) {
  switch (c) {
    case reg_color::registered: return "Registered";
    case reg_color::not_configured: return "Not configured";
    case reg_color::disabled: return "Registration disabled";
    case reg_color::failed: return "Registration failed";
  }
  return "";
}

} // namespace

// -- view ---------------------------------------------------------------------

std::vector<std::string> phone_ui::page_lines() const {
  std::vector<std::string> out;
  switch (menu_items()[page_index_].page) {
    case page_kind::calls:
      out = history_;
      if (out.empty()) out.push_back("(no calls)");
      break;
    case page_kind::directory: out.push_back("(empty)"); break;
    case page_kind::registrations:
      for (const auto& r : regs_)
        out.push_back("User-" + std::to_string(r.id + 1) + " " + (r.number.empty() ? std::string("-") : r.number) +
                      " " + std::string(models::to_string(models::classify(r))));
      break;
    case page_kind::info:
      out = {"Product " + id_.product, "Firmware " + id_.version, "MAC " + id_.hw_id, "IP " + id_.ip,
             "Number " + id_.number};
      break;
    case page_kind::function_keys:
      for (int n = 1; n <= model_.function_keys; ++n) {
        out.push_back("F" + std::to_string(n) + " " + function_key_label(n) + (led(n) ? " *" : ""));
      }
      if (out.empty()) out.push_back("(no function keys)");
      break;
    case page_kind::settings:
      out = {"Volume " + std::to_string(volume_), std::string("Headset ") + (headset_ ? "on" : "off"),
             std::string("Microphone ") + (mute_ ? "off" : "on")};
      break;
  }
  return out;
}

screen_view phone_ui::view() const {
  screen_view v;
  v.kind = screen_;
  const std::int64_t t = now();
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[16];
  if (clock_seconds_)
    std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
  else
    std::snprintf(buf, sizeof buf, "%02d:%02d", tm.tm_hour, tm.tm_min);
  v.clock = buf;
  v.reg = status_color();
  v.off_hook = off_hook_;
  v.speaker = speaker_;
  v.headset = headset_;
  v.mute = mute_;
  if (!notice_.empty() && t < notice_until_) v.notice = notice_;

  const int visible = layout_.lines();
  switch (screen_) {
    case screen::idle:
      v.title = id_.name.empty() ? id_.product : id_.name;
      v.lines = {{id_.name, false, true}, {id_.number, false, false}, {reg_text(v.reg), false, false}};
      v.soft = {"Menu", "", "Dial"};
      break;
    case screen::menu: {
      v.title = "Menu";
      const auto& items = menu_items();
      const int first = std::max(0, menu_index_ - visible + 1);
      for (int i = first; i < static_cast<int>(items.size()) && i < first + visible; ++i)
        v.lines.push_back({std::to_string(i + 1) + " " + items[i].title, i == menu_index_, false});
      v.soft = {"Back", "", "OK"};
      break;
    }
    case screen::page: {
      v.title = menu_items()[page_index_].title;
      auto lines = page_lines();
      for (int i = page_scroll_; i < static_cast<int>(lines.size()) && i < page_scroll_ + visible; ++i)
        v.lines.push_back({lines[i], false, false});
      v.soft = {"Back", "", ""};
      break;
    }
    case screen::dial:
      v.title = "Dial";
      v.lines = {{"Number:", false, false}, {dial_, false, true}};
      if (shift_) v.lines.push_back({"ABC", false, false});
      v.soft = {dial_.empty() ? "Back" : "Del", "", "Call"};
      break;
    case screen::calling:
      v.title = "Call";
      v.lines = {{"Calling", false, false},
                 {call_, false, true},
                 {speaker_    ? "Hands-free"
                  : off_hook_ ? "Handset"
                              : "",
                  false, false}};
      v.soft = {"", "", "End"};
      break;
  }
  return v;
}

} // namespace mpk::sim_phone
