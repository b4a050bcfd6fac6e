#pragma once
/// The simulated phone's user interface as a state machine: idle screen, menu with pages,
/// dial screen, and an outgoing call. Inputs are key ids (docs/spec/models.md §4.5), touches and text;
/// the output is a screen_view that the LCD renderer draws. No drawing and no I/O here.

#include "common/models/function_keys.hpp"
#include "common/models/model.hpp"
#include "common/models/registrations.hpp"
#include "sim/phone/phone_identity.hpp"
#include "sim/phone/screen_layout.hpp"

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace mpk::sim_phone {

enum class screen { idle, menu, page, dial, calling };

/// One line of the content area.
struct view_line {
  std::string text;
  bool selected = false;
  bool big = false; ///< drawn at double scale if it fits (dialled digits)

  bool operator==(const view_line& o) const { return text == o.text && selected == o.selected && big == o.big; }
};

/// Everything the renderer needs to draw one frame.
struct screen_view {
  screen kind = screen::idle;
  std::string title;                                         ///< top bar / title line
  std::string clock;                                         ///< "HH:MM", or "HH:MM:SS" with set_clock_seconds
  models::reg_color reg = models::reg_color::not_configured; ///< status icon
  bool off_hook = false, speaker = false, headset = false, mute = false;
  std::vector<view_line> lines;
  std::array<std::string, 3> soft; ///< bottom bar / on-screen buttons
  std::string notice;              ///< short flash line (function key, volume, ...)

  /// Equal views draw equal screens: the phone's web server reuses its last dump then.
  bool operator==(const screen_view& o) const {
    return kind == o.kind && title == o.title && clock == o.clock && reg == o.reg && off_hook == o.off_hook &&
           speaker == o.speaker && headset == o.headset && mute == o.mute && lines == o.lines && soft == o.soft &&
           notice == o.notice;
  }
  bool operator!=(const screen_view& o) const { return !(*this == o); }
};

class phone_ui {
public:
  using clock_fn = std::function<std::int64_t()>; ///< Unix seconds

  static constexpr int long_press_ms = 1000;
  static constexpr std::size_t max_dial_chars = 64;
  static constexpr std::int64_t notice_seconds = 3;

  phone_ui(const models::model& m, const phone_identity& id);

  /// Replaces the clock (tests inject a fixed time); the default is the system clock.
  void set_clock(clock_fn now) { now_ = std::move(now); }
  std::int64_t now() const { return now_ ? now_() : 0; }
  /// Shows seconds in the clock: the screen then changes once per second (load benchmarks).
  void set_clock_seconds(bool on) { clock_seconds_ = on; }

  // -- input (false: the model has no such key / not a touch model / outside the screen) --
  bool press(std::string_view key_id, int hold_ms = 0);
  bool touch(int x, int y, int hold_ms = 0);
  /// Text from the text wire path: entered on the dial screen (opened if needed).
  bool type_text(std::string_view utf8);
  /// Dial action: calls the number at once.
  bool dial(std::string_view number);
  /// Hang-up action; false when there is no call.
  bool hangup();
  /// Restart: back to the idle screen, no call, no typed text; configuration stays.
  void reboot();

  // -- registrations (0-based slots) --
  const std::vector<models::registration>& registrations() const { return regs_; }
  /// Replaces slot r.id (adds it if new); `configured` is derived from protocol/address.
  void set_registration(models::registration r);
  /// Puts a slot into one of the four states, filling plausible fields.
  bool set_registration_state(int id, models::reg_color c);

  // -- function keys --
  void set_function_key_label(int n, std::string label);
  /// Label of function key n (set, or a default such as "Partner").
  std::string function_key_label(int n) const;
  /// What the phone reports of its function keys: the label set (or a default one, keys 1-8),
  /// the LED (lit green after a press turned it on).
  std::vector<models::function_key_state> function_keys() const;
  bool led(int n) const;

  // -- state --
  screen current() const { return screen_; }
  const std::string& dial_buffer() const { return dial_; }
  const std::string& call_number() const { return call_; }
  int menu_index() const { return menu_index_; }
  const std::vector<std::string>& call_history() const { return history_; }
  const models::model& model() const { return model_; }
  const screen_layout& layout() const { return layout_; }

  screen_view view() const;

private:
  enum class page_kind { calls, directory, registrations, info, function_keys, settings };
  struct menu_item {
    const char* title;
    page_kind page;
  };
  static const std::vector<menu_item>& menu_items();

  void go(screen s);
  void open_menu();
  void open_page(int index);
  void start_dial();
  void append(std::string_view utf8);
  void backspace();
  void call(const std::string& number);
  void end_call();
  void soft_key(int n);
  void notice(std::string text);
  bool keypad_key(const models::key_spec& k, int hold_ms);
  std::vector<std::string> page_lines() const;
  models::reg_color status_color() const;

  models::model model_;
  phone_identity id_;
  screen_layout layout_;
  clock_fn now_;
  bool clock_seconds_ = false;

  screen screen_ = screen::idle;
  int menu_index_ = 0;
  int page_index_ = 0;
  int page_scroll_ = 0;
  std::string dial_;
  std::string call_;
  std::vector<std::string> history_; ///< dialled numbers, newest first
  bool off_hook_ = false, speaker_ = false, headset_ = false, mute_ = false, shift_ = false;
  int volume_ = 4;
  std::string notice_;
  std::int64_t notice_until_ = 0;
  std::vector<models::registration> regs_;
  std::map<int, std::string> fkey_labels_;
  std::map<int, bool> leds_;
};

} // namespace mpk::sim_phone
