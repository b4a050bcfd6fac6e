// catalog: model lookup and the wire request builders.

#include "common/models/catalog.hpp"
#include "common/models/wire_template.hpp"

#include <cctype>
#include <cstdint>

namespace mpk::models {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

/// Printable form of user input for an error message (bounded, no control characters).
std::string shown(std::string_view s) {
  std::string out;
  for (unsigned char c : s.substr(0, 40)) out.push_back(c < 0x20 || c == 0x7F ? '?' : static_cast<char>(c));
  if (s.size() > 40) out += "...";
  return out;
}

bool check_hold(int hold_ms, std::string& err) {
  if (hold_ms < 0 || hold_ms > catalog::max_hold_ms) {
    err = "hold time " + std::to_string(hold_ms) + " ms out of range (0-" + std::to_string(catalog::max_hold_ms) + ")";
    return false;
  }
  return true;
}

/// Shared checks of free text sent to a phone (text entry, action arguments).
bool check_text(std::string_view what, std::string_view s, std::size_t max, std::string& err) {
  if (s.size() > max) {
    err = std::string(what) + " too long (" + std::to_string(s.size()) + " bytes, max " + std::to_string(max) + ")";
    return false;
  }
  if (!valid_utf8(s)) {
    err = std::string(what) + " is not valid UTF-8";
    return false;
  }
  if (has_control(s)) {
    err = std::string(what) + " contains control characters";
    return false;
  }
  return true;
}

std::optional<std::string> rendered(std::string_view tmpl, const wire_values& v, std::string& err) {
  auto r = render_template(tmpl, v);
  if (!r) err = "wire template \"" + std::string(tmpl) + "\" cannot be rendered";
  return r;
}

} // namespace

std::string product_key(std::string_view product) {
  std::string out(product);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::optional<int> firmware_major(std::string_view v) {
  size_t i = 0;
  while (i < v.size() && v[i] == ' ') ++i;
  if (i < v.size() && (v[i] == 'V' || v[i] == 'v')) ++i;
  int major = 0, digits = 0;
  while (i < v.size() && v[i] >= '0' && v[i] <= '9' && digits < 4) {
    major = major * 10 + (v[i] - '0');
    ++i;
    ++digits;
  }
  if (digits == 0 || (i < v.size() && v[i] >= '0' && v[i] <= '9')) return std::nullopt;
  return major;
}

bool has_control(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7F) return true;
  return false;
}

bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int n;
    std::uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else
      return false;
    if (i + n >= s.size()) return false;
    for (int k = 1; k <= n; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static const std::uint32_t min_cp[] = {0, 0x80, 0x800, 0x10000};
    if (cp < min_cp[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

const model* catalog::get(std::string_view product) const {
  if (!models_) return nullptr;
  for (const auto& m : *models_)
    if (iequals(m.product, product)) return &m;
  return nullptr;
}

support catalog::find(std::string_view product, std::string_view device_type, std::string_view version) const {
  support s;
  if (!device_type.empty() && !iequals(device_type, "PHONE")) {
    s.reason = "not a phone (type " + shown(device_type) + ")";
    return s;
  }
  for (const auto& [p, why] : unsupported_)
    if (iequals(p, product)) {
      s.reason = "unsupported model " + p + ": " + why;
      return s;
    }
  const model* m = get(product);
  if (!m) {
    s.reason = "unknown model " + (product.empty() ? std::string("(none)") : shown(product));
    return s;
  }
  if (!version.empty()) {
    auto major = firmware_major(version);
    if (!major) {
      s.reason = "unrecognised firmware version \"" + shown(version) + "\" (needs V13)";
      return s;
    }
    if (*major < 13) {
      s.reason = "firmware V" + std::to_string(*major) + " too old (needs V13)";
      return s;
    }
  }
  s.m = m;
  return s;
}

std::optional<std::string> catalog::key_request(const model& m, std::string_view key_id, int hold_ms,
                                                std::string& err) const {
  return key_request(m, m.wire, *m.wire.candidate("key"), key_id, hold_ms, err);
}

std::optional<std::string> catalog::key_request(const model& m, const wire_spec& w, const wire_candidate& form,
                                                std::string_view key_id, int hold_ms, std::string& err) const {
  auto code = m.key_code(key_id, w, form);
  if (!code) {
    err = "unknown key \"" + shown(key_id) + "\" for " + m.product;
    return std::nullopt;
  }
  if (!check_hold(hold_ms, err)) return std::nullopt;
  auto hold = std::to_string(hold_ms);
  return rendered(form.form, {{"code", *code}, {"holdMs", hold}}, err);
}

std::optional<std::string> catalog::touch_request(const model& m, int x, int y, int hold_ms, std::string& err) const {
  return touch_request(m, *m.wire.candidate("touch"), x, y, hold_ms, err);
}

std::optional<std::string> catalog::touch_request(const model& m, const wire_candidate& form, int x, int y, int hold_ms,
                                                  std::string& err) const {
  if (!m.touch) {
    err = m.product + " has no touch screen";
    return std::nullopt;
  }
  if (x < 0 || y < 0 || x >= m.screen.width || y >= m.screen.height) {
    err = "touch (" + std::to_string(x) + "," + std::to_string(y) + ") outside the " + std::to_string(m.screen.width) +
          "x" + std::to_string(m.screen.height) + " screen";
    return std::nullopt;
  }
  if (!check_hold(hold_ms, err)) return std::nullopt;
  auto xs = std::to_string(x), ys = std::to_string(y), hs = std::to_string(hold_ms);
  return rendered(form.form, {{"x", xs}, {"y", ys}, {"holdMs", hs}}, err);
}

std::optional<std::string> catalog::text_request(const model& m, std::string_view text, std::string& err) const {
  return text_request(*m.wire.candidate("text"), text, err);
}

std::optional<std::string> catalog::text_request(const wire_candidate& form, std::string_view text,
                                                 std::string& err) const {
  if (text.empty()) {
    err = "text is empty";
    return std::nullopt;
  }
  if (!check_text("text", text, max_text_bytes, err)) return std::nullopt;
  return rendered(form.form, {{"text", text}}, err);
}

std::optional<std::string> catalog::action_request(const model& m, std::string_view action, std::string_view arg,
                                                   std::string& err) const {
  return action_request(m.wire, action, arg, err);
}

std::optional<std::string> catalog::action_request(const wire_spec& w, std::string_view action, std::string_view arg,
                                                   std::string& err) const {
  const std::string* tmpl = nullptr;
  for (const auto& [n, t] : w.actions)
    if (n == action) tmpl = &t;
  if (!tmpl) {
    err = "unknown action \"" + shown(action) + "\" (known:";
    for (const auto& n : action_names(w)) err += " " + n;
    err += ")";
    return std::nullopt;
  }
  bool takes_arg = tmpl->find("{arg}") != std::string::npos;
  if (takes_arg && arg.empty()) {
    err = "action " + std::string(action) + " needs an argument";
    return std::nullopt;
  }
  if (!takes_arg && !arg.empty()) {
    err = "action " + std::string(action) + " takes no argument";
    return std::nullopt;
  }
  if (!check_text("argument", arg, max_arg_bytes, err)) return std::nullopt;
  return rendered(*tmpl, {{"arg", arg}}, err);
}

std::optional<std::string> catalog::command_request(const model& m, std::string_view command, std::string& err) const {
  return command_request(m.wire, command, err);
}

std::optional<std::string> catalog::command_request(const wire_spec& w, std::string_view command,
                                                    std::string& err) const {
  if (!command.empty() && command.front() == '!') command.remove_prefix(1);
  if (command.empty() || command.find_first_not_of(' ') == std::string_view::npos) {
    err = "command is empty";
    return std::nullopt;
  }
  if (!check_text("command", command, max_command_bytes, err)) return std::nullopt;
  return rendered(w.form("command"), {{"command", command}}, err);
}

std::vector<std::string> catalog::action_names(const wire_spec& w) const {
  std::vector<std::string> out;
  for (const auto& [n, t] : w.actions) out.push_back(n);
  return out;
}

} // namespace mpk::models
