// The simulated phone's UI state machine (see phone_ui.hpp for the screens).

#include "sim/phone/phone_ui.hpp"

#include <algorithm>
#include <chrono>

namespace mpk::sim_phone {

using models::reg_color;

namespace {

constexpr std::size_t max_history = 20;

std::int64_t system_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

/// Number after a key id prefix ("F12" with prefix "F" -> 12), 0 when malformed.
int key_number(std::string_view id, std::string_view prefix) {
  if (id.substr(0, prefix.size()) != prefix || id.size() == prefix.size() || id.size() > prefix.size() + 3) return 0;
  int n = 0;
  for (char c : id.substr(prefix.size())) {
    if (c < '0' || c > '9') return 0;
    n = n * 10 + (c - '0');
  }
  return n;
}

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

const char* default_fkey_labels[] = {"Partner", "Pickup", "DND", "Forward", "Park", "Headset", "Lock", "Redirect"};

} // namespace

const std::vector<phone_ui::menu_item>& phone_ui::menu_items() {
  static const std::vector<menu_item> items = {
    {"Call list", page_kind::calls},
    {"Directory", page_kind::directory},
    {"Registrations", page_kind::registrations},
    {"Phone info", page_kind::info},
    {"Function keys", page_kind::function_keys},
    {"Settings", page_kind::settings},
  };
  return items;
}

phone_ui::phone_ui(const models::model& m, const phone_identity& id)
    : model_(m), id_(id), layout_(screen_layout::for_model(m)), now_(system_seconds) {
  models::registration first{0, "up", "on", "SIP", id.number, id.name, "pbx.example.com", "", true};
  regs_.push_back(first);
  for (int i = 1; i < 4; ++i) regs_.push_back(models::registration{i, "down", "on", "", "", "", "", "", false});
}

// -- registrations ------------------------------------------------------------

void phone_ui::set_registration(models::registration r) {
  r.configured = !r.protocol.empty() && !r.gatekeeper.empty();
  auto it = std::find_if(regs_.begin(), regs_.end(), [&](auto& x) { return x.id == r.id; });
  if (it != regs_.end())
    *it = std::move(r);
  else
    regs_.push_back(std::move(r));
  std::sort(regs_.begin(), regs_.end(), [](auto& a, auto& b) { return a.id < b.id; });
}

bool phone_ui::set_registration_state(int id, reg_color c) {
  if (id < 0 || id > 63) return false;
  models::registration r{id, "down", "on", "", "", "", "", "", false};
  for (const auto& x : regs_)
    if (x.id == id) r = x;
  auto fill = [&] {
    if (r.protocol.empty()) r.protocol = "SIP";
    if (r.gatekeeper.empty()) r.gatekeeper = "pbx.example.com";
    if (r.number.empty()) r.number = id == 0 ? id_.number : id_.number + "-" + std::to_string(id + 1);
  };
  switch (c) {
    case reg_color::registered:
      fill();
      r.state = "up";
      r.enable = "on";
      r.error.clear();
      break;
    case reg_color::not_configured:
      r.protocol.clear();
      r.gatekeeper.clear();
      r.state = "down";
      r.error.clear();
      break;
    case reg_color::disabled:
      fill();
      r.state = "down";
      r.enable = "off";
      r.error.clear();
      break;
    case reg_color::failed:
      fill();
      r.state = "timeout";
      r.enable = "on";
      r.error = "no response from registrar";
      break;
  }
  set_registration(std::move(r));
  return true;
}

reg_color phone_ui::status_color() const {
  for (const auto& r : regs_)
    if (r.configured) return models::classify(r);
  return reg_color::not_configured;
}

// -- function keys ------------------------------------------------------------

void phone_ui::set_function_key_label(int n, std::string label) { fkey_labels_[n] = std::move(label); }

std::string phone_ui::function_key_label(int n) const {
  auto it = fkey_labels_.find(n);
  if (it != fkey_labels_.end()) return it->second;
  return n >= 1 && n <= 8 ? default_fkey_labels[n - 1] : "Key " + std::to_string(n);
}

bool phone_ui::led(int n) const {
  auto it = leds_.find(n);
  return it != leds_.end() && it->second;
}

std::vector<models::function_key_state> phone_ui::function_keys() const {
  std::vector<models::function_key_state> out;
  for (int n = 1; n <= model_.function_keys; ++n) {
    auto set = fkey_labels_.find(n);
    // Keys 9 and up have no function unless one was set: the phone reports no label for them.
    std::string label = set != fkey_labels_.end() ? set->second : n <= 8 ? function_key_label(n) : "";
    out.push_back({n, std::move(label), led(n) ? "on" : "off", led(n) ? "green" : ""});
  }
  return out;
}

// -- transitions --------------------------------------------------------------

void phone_ui::go(screen s) {
  screen_ = s;
  if (s != screen::dial) dial_.clear();
  shift_ = false;
}

void phone_ui::open_menu() {
  go(screen::menu);
  menu_index_ = 0;
}

void phone_ui::open_page(int index) {
  if (index < 0 || index >= static_cast<int>(menu_items().size())) return;
  menu_index_ = index;
  page_index_ = index;
  page_scroll_ = 0;
  go(screen::page);
}

void phone_ui::start_dial() { go(screen::dial); }

void phone_ui::append(std::string_view utf8) {
  // Append whole code points until the cap; a cut-off character is never half-written.
  std::size_t have = utf8_length(dial_);
  std::size_t i = 0;
  while (i < utf8.size() && have < max_dial_chars) {
    std::size_t n = 1;
    while (i + n < utf8.size() && (static_cast<unsigned char>(utf8[i + n]) & 0xC0) == 0x80) ++n;
    dial_.append(utf8.substr(i, n));
    i += n;
    ++have;
  }
}

void phone_ui::backspace() {
  if (dial_.empty()) return;
  std::size_t n = dial_.size() - 1;
  while (n > 0 && (static_cast<unsigned char>(dial_[n]) & 0xC0) == 0x80) --n;
  dial_.erase(n);
}

void phone_ui::call(const std::string& number) {
  if (number.empty()) {
    notice("Enter a number");
    return;
  }
  call_ = number;
  history_.insert(history_.begin(), number);
  if (history_.size() > max_history) history_.pop_back();
  go(screen::calling);
}

void phone_ui::end_call() {
  call_.clear();
  off_hook_ = false;
  speaker_ = false;
  go(screen::idle);
}

void phone_ui::notice(std::string text) {
  notice_ = std::move(text);
  notice_until_ = now() + notice_seconds;
}

void phone_ui::reboot() {
  end_call();
  headset_ = mute_ = false;
  notice_.clear();
  notice_until_ = 0;
  menu_index_ = 0;
}

// -- input --------------------------------------------------------------------

bool phone_ui::keypad_key(const models::key_spec& k, int hold_ms) {
  std::string ch = k.label;
  if (hold_ms >= long_press_ms && !k.sub.empty()) {
    // Long press enters the key's first letter (phones without a letter keyboard).
    char c = k.sub[0];
    ch = std::string(1, c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  switch (screen_) {
    case screen::menu: {
      int d = k.label.size() == 1 ? k.label[0] - '0' : 0;
      if (d >= 1 && d <= static_cast<int>(menu_items().size())) open_page(d - 1);
      return true;
    }
    case screen::calling: notice("DTMF " + ch); return true;
    case screen::dial: break;
    default: start_dial();
  }
  append(ch);
  return true;
}

void phone_ui::soft_key(int n) {
  switch (screen_) {
    case screen::idle:
      if (n == 1)
        open_menu();
      else if (n == 3)
        start_dial();
      break;
    case screen::menu:
      if (n == 1)
        go(screen::idle);
      else if (n == 3)
        open_page(menu_index_);
      break;
    case screen::page:
      if (n == 1) go(screen::menu);
      break;
    case screen::dial:
      if (n == 1) {
        if (dial_.empty())
          go(screen::idle);
        else
          backspace();
      } else if (n == 3) {
        call(dial_);
      }
      break;
    case screen::calling:
      if (n == 3) end_call();
      break;
  }
}

bool phone_ui::press(std::string_view key_id, int hold_ms) {
  const models::key_spec* k = model_.find_key(key_id);
  if (!k) return false;
  const std::string& id = k->id;
  const int n_items = static_cast<int>(menu_items().size());

  if (k->kind == models::key_kind::keypad) return keypad_key(*k, hold_ms);
  if (k->kind == models::key_kind::function) {
    int n = key_number(id, "F");
    leds_[n] = !leds_[n];
    notice(id + " " + function_key_label(n) + (leds_[n] ? " on" : " off"));
    return true;
  }
  if (k->kind == models::key_kind::line) {
    int n = key_number(id, "LSK");
    if (screen_ == screen::menu && n >= 1 && n <= n_items)
      open_page(n - 1);
    else if (screen_ == screen::idle)
      open_menu();
    return true;
  }
  if (k->kind == models::key_kind::soft) {
    soft_key(key_number(id, "SK"));
    return true;
  }
  if (k->kind == models::key_kind::alpha) {
    if (id == "SHIFT") {
      shift_ = !shift_;
      return true;
    }
    std::string ch = " ";
    if (id != "SPACE") {
      char c = id.back();
      ch = std::string(1, shift_ ? c : static_cast<char>(c - 'A' + 'a'));
    }
    if (screen_ == screen::calling) {
      notice("DTMF " + ch);
      return true;
    }
    if (screen_ != screen::dial) start_dial();
    append(ch);
    shift_ = false; // one shifted letter, like a phone's shift key
    return true;
  }

  if (id == "UP" || id == "DOWN") {
    int d = id == "UP" ? -1 : 1;
    if (screen_ == screen::menu)
      menu_index_ = (menu_index_ + d + n_items) % n_items;
    else if (screen_ == screen::page)
      page_scroll_ =
        std::clamp(page_scroll_ + d, 0, std::max(0, static_cast<int>(page_lines().size()) - layout_.lines()));
  } else if (id == "LEFT") {
    if (screen_ == screen::dial)
      backspace();
    else if (screen_ == screen::page)
      go(screen::menu);
  } else if (id == "RIGHT") {
    if (screen_ == screen::menu) open_page(menu_index_);
  } else if (id == "OK") {
    if (screen_ == screen::idle)
      open_menu();
    else if (screen_ == screen::menu)
      open_page(menu_index_);
    else if (screen_ == screen::dial)
      call(dial_);
  } else if (id == "CANCEL") {
    if (screen_ == screen::menu)
      go(screen::idle);
    else if (screen_ == screen::page)
      go(screen::menu);
    else if (screen_ == screen::dial) {
      off_hook_ = speaker_ = false;
      go(screen::idle);
    } else if (screen_ == screen::calling)
      end_call();
  } else if (id == "HOME" || id == "MENU") {
    if (screen_ == screen::calling)
      notice("In a call");
    else if (screen_ == screen::idle || screen_ == screen::dial)
      open_menu();
    else
      go(screen::idle);
  } else if (id == "HOOK") {
    off_hook_ = !off_hook_;
    if (off_hook_) {
      if (screen_ == screen::dial && !dial_.empty())
        call(dial_);
      else if (screen_ != screen::calling && screen_ != screen::dial)
        start_dial();
      speaker_ = false;
    } else if (screen_ == screen::calling || screen_ == screen::dial) {
      end_call();
    }
  } else if (id == "SPEAKER") {
    if (screen_ == screen::calling) {
      end_call();
    } else if (screen_ == screen::dial) {
      if (dial_.empty()) {
        speaker_ = false;
        go(screen::idle);
      } else {
        speaker_ = true;
        call(dial_);
      }
    } else {
      speaker_ = true;
      start_dial();
    }
  } else if (id == "HEADSET") {
    headset_ = !headset_;
    notice(headset_ ? "Headset on" : "Headset off");
  } else if (id == "MUTE") {
    mute_ = !mute_;
    notice(mute_ ? "Microphone off" : "Microphone on");
  } else if (id == "VOL_UP" || id == "VOL_DOWN") {
    volume_ = std::clamp(volume_ + (id == "VOL_UP" ? 1 : -1), 0, 8);
    notice("Volume " + std::to_string(volume_));
  } else if (id == "R") {
    notice(screen_ == screen::calling ? "R: consultation" : "R");
  } else if (id == "REDIAL") {
    if (history_.empty())
      notice("No number to redial");
    else if (screen_ != screen::calling)
      call(history_.front());
  } else {
    notice(id);
  }
  return true;
}

bool phone_ui::touch(int x, int y, int) {
  if (!model_.touch || x < 0 || y < 0 || x >= layout_.width || y >= layout_.height) return false;
  if (layout_.bottom_bar.contains(x, y)) {
    for (int i = 0; i < layout_.soft_buttons; ++i)
      if (layout_.button(i).contains(x, y)) soft_key(i + 1);
    return true;
  }
  int line = layout_.line_at(y);
  if (line >= 0 && screen_ == screen::menu) {
    const int visible = layout_.lines();
    const int first = std::max(0, menu_index_ - visible + 1);
    const int item = first + line;
    if (item < static_cast<int>(menu_items().size())) open_page(item);
  }
  return true;
}

bool phone_ui::type_text(std::string_view utf8) {
  if (screen_ == screen::calling) {
    notice("DTMF " + std::string(utf8.substr(0, 16)));
    return true;
  }
  if (screen_ != screen::dial) start_dial();
  append(utf8);
  return true;
}

bool phone_ui::dial(std::string_view number) {
  if (number.empty()) return false;
  if (screen_ == screen::calling) end_call();
  std::string n;
  for (char c : number.substr(0, max_dial_chars)) n.push_back(c);
  call(n);
  return true;
}

bool phone_ui::hangup() {
  if (screen_ != screen::calling) return false;
  end_call();
  return true;
}

} // namespace mpk::sim_phone
