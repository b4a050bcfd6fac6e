// The simulated phone's web server: routes a request by the model's wire templates.

#include "sim/phone/phone_web.hpp"

#include "common/models/device_info.hpp"
#include "common/models/function_keys.hpp"
#include "common/models/registrations.hpp"
#include "common/models/wire_template.hpp"
#include "sim/phone/lcd_renderer.hpp"

#include <algorithm>
#include <cctype>

namespace mpk::sim_phone {

using models::wire_captures;

namespace {

web_response plain(int status, std::string body) {
  return {status, "text/plain; charset=utf-8", std::move(body) + "\n"};
}

web_response xml(std::string body) { return {200, "text/xml; charset=utf-8", std::move(body)}; }

const std::string* find_capture(const wire_captures& c, std::string_view name) {
  for (const auto& [n, v] : c)
    if (n == name) return &v;
  return nullptr;
}

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7F;
  });
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  return true;
}

bool equals_ci(std::string_view a, std::string_view b) { return a.size() == b.size() && starts_with_ci(a, b); }

template <class T>
void push_bounded(std::vector<T>& v, T x, std::size_t max) {
  if (v.size() >= max) v.erase(v.begin());
  v.push_back(std::move(x));
}

/// Optional hold time capture: absent = 0, present = 0..10000.
std::optional<int> hold_of(const wire_captures& c) {
  auto* h = find_capture(c, "holdMs");
  if (!h) return 0;
  return models::parse_decimal(*h, 0, models::catalog::max_hold_ms);
}

} // namespace

std::optional<phone_web> phone_web::create(const models::catalog& cat, const phone_identity& id, std::string& err,
                                           std::shared_ptr<const models::wire_spec> dialect) {
  auto s = cat.find(id.product, "PHONE", id.version);
  if (!s.m) {
    err = s.reason;
    return std::nullopt;
  }
  return phone_web(*s.m, id, std::move(dialect));
}

phone_web::phone_web(const models::model& m, phone_identity id, std::shared_ptr<const models::wire_spec> dialect)
    : id_(std::move(id)),
      ui_(m, id_),
      wire_(dialect ? std::move(dialect) : std::make_shared<const models::wire_spec>(m.wire)),
      admin_(m.product, id_) {}

void phone_web::speak(std::shared_ptr<const models::wire_spec> dialect) {
  wire_ = dialect ? std::move(dialect) : std::make_shared<const models::wire_spec>(ui_.model().wire);
}

bool phone_web::take_reboot() {
  bool was = reboot_pending_;
  reboot_pending_ = false;
  return was;
}

web_response phone_web::handle(const web_request& req) {
  ++counters_.requests;
  if (admin_ui::serves(req.target.substr(0, req.target.find('?')))) return admin_.handle(req, ui_.registrations());
  auto bad = [&](std::string why) {
    ++counters_.bad_requests;
    return plain(400, std::move(why));
  };
  const bool head = req.method == "HEAD";
  if (req.method != "GET" && !head) {
    ++counters_.bad_requests;
    return plain(405, "method not allowed");
  }
  const std::string& t = req.target;
  if (t.empty() || t.front() != '/' || t.size() > max_target) return bad("bad request target");
  if (!models::url_decode(t)) return bad("bad percent-encoding");

  web_response res;
  {
    // The most specific matching template wins ("/!reset" before "/!{command}").
    enum class kind { none, lcd, regs, fkeys, info, key, touch, text, action, command };
    const auto& w = *wire_;
    kind best = kind::none;
    int best_spec = -1;
    wire_captures best_caps;
    std::string best_action;
    auto consider = [&](kind k, const std::string& tmpl, const std::string& action) {
      int spec = 0;
      if (tmpl.empty()) return;
      if (auto caps = models::match_template(tmpl, t, &spec); caps && spec > best_spec) {
        best = k;
        best_spec = spec;
        best_caps = std::move(*caps);
        best_action = action;
      }
    };
    consider(kind::lcd, w.form("lcd"), "");
    consider(kind::regs, w.form("registrations"), "");
    consider(kind::fkeys, w.form("functionKeys"), "");
    consider(kind::info, w.form("info"), "");
    consider(kind::key, w.form("key"), "");
    consider(kind::touch, w.form("touch"), "");
    consider(kind::text, w.form("text"), "");
    for (const auto& [name, tmpl] : w.actions) consider(kind::action, tmpl, name);
    consider(kind::command, w.form("command"), "");

    switch (best) {
      case kind::none:
        ++counters_.not_found;
        res = plain(404, "not found");
        break;
      case kind::lcd:
        ++counters_.lcd_dumps;
        if (auto v = ui_.view(); dump_.empty() || v != dump_view_) {
          dump_ = render_lcd_bmp(ui_, v);
          dump_view_ = std::move(v);
        }
        res = {200, "image/bmp", dump_};
        break;
      case kind::regs:
        res = xml(models::format_registrations_xml(
          ui_.registrations(), models::registrations_format::from(w.candidate("registrations")->format)));
        break;
      case kind::fkeys:
        res = xml(models::format_function_keys_xml(
          ui_.function_keys(), models::function_keys_format::from(w.candidate("functionKeys")->format)));
        break;
      case kind::info:
        res = xml(models::format_info_xml({ui_.model().product, id_.version, id_.hw_id, id_.name, id_.ip, id_.number},
                                          models::info_format::from(w.candidate("info")->format)));
        break;
      case kind::key: res = on_key(best_caps); break;
      case kind::touch: res = on_touch(best_caps); break;
      case kind::text: res = on_text(best_caps); break;
      case kind::action: res = on_action(best_action, best_caps); break;
      case kind::command: res = run_command(std::string(models::capture(best_caps, "command"))); break;
    }
    if (res.status == 400) ++counters_.bad_requests;
  }
  if (head) res.body.clear();
  return res;
}

web_response phone_web::on_key(const wire_captures& c) {
  const std::string code(models::capture(c, "code"));
  auto id = ui_.model().key_id_for_code(code, *wire_, *wire_->candidate("key"));
  if (!id) return plain(400, "unknown key code");
  auto hold = hold_of(c);
  if (!hold) return plain(400, "bad hold time");
  ++counters_.key_presses[code];
  ui_.press(*id, *hold);
  return xml("<ok/>\n");
}

web_response phone_web::on_touch(const wire_captures& c) {
  const auto& m = ui_.model();
  if (!m.touch) return plain(400, "no touch screen");
  auto* xs = find_capture(c, "x");
  auto* ys = find_capture(c, "y");
  auto x = xs ? models::parse_decimal(*xs, 0, m.screen.width - 1) : std::nullopt;
  auto y = ys ? models::parse_decimal(*ys, 0, m.screen.height - 1) : std::nullopt;
  auto hold = hold_of(c);
  if (!x || !y) return plain(400, "touch outside the screen");
  if (!hold) return plain(400, "bad hold time");
  ++counters_.touches;
  ui_.touch(*x, *y, *hold);
  return xml("<ok/>\n");
}

web_response phone_web::on_text(const wire_captures& c) {
  std::string text(models::capture(c, "text"));
  if (text.empty() || text.size() > models::catalog::max_text_bytes || !models::valid_utf8(text) || has_control(text))
    return plain(400, "bad text");
  push_bounded(counters_.texts, text, max_list);
  ui_.type_text(text);
  return xml("<ok/>\n");
}

web_response phone_web::on_action(const std::string& name, const wire_captures& c) {
  ++counters_.actions[name];
  const std::string* tmpl = nullptr;
  for (const auto& [n, t] : wire_->actions)
    if (n == name) tmpl = &t;
  if (tmpl && tmpl->rfind("/!", 0) == 0) {
    // A command-line action: run the line as the phone's command interpreter would.
    std::string line = tmpl->substr(2);
    if (auto* arg = find_capture(c, "arg")) {
      auto pos = line.find("{arg}");
      if (pos != std::string::npos) line.replace(pos, 5, *arg);
    }
    return run_command(line);
  }
  const std::string arg(models::capture(c, "arg"));
  if (arg.size() > models::catalog::max_arg_bytes || has_control(arg) || !models::valid_utf8(arg))
    return plain(400, "bad argument");
  if (name == "dial") {
    if (arg.empty()) return plain(400, "missing number");
    counters_.last_dialled = arg;
    ui_.dial(arg);
    return xml("<ok/>\n");
  }
  if (name == "hangup") return xml(ui_.hangup() ? "<ok/>\n" : "<error reason=\"no such call\"/>\n");
  return xml("<ok/>\n");
}

web_response phone_web::run_command(const std::string& raw) {
  auto b = raw.find_first_not_of(' ');
  if (b == std::string::npos) return plain(400, "empty command");
  auto e = raw.find_last_not_of(' ');
  const std::string line = raw.substr(b, e - b + 1);
  if (line.size() > models::catalog::max_command_bytes || has_control(line) || !models::valid_utf8(line))
    return plain(400, "bad command");
  push_bounded(counters_.commands, line, max_list);

  if (equals_ci(line, "config write") || equals_ci(line, "config activate")) return plain(200, "ok");
  if (equals_ci(line, "reset") || equals_ci(line, "ireset")) {
    // The phone restarts: the UI starts over and the network glue takes it offline briefly.
    reboot_pending_ = true;
    ++counters_.reboots;
    ui_.reboot();
    return plain(200, "reset");
  }
  if (equals_ci(line, "resetn") || equals_ci(line, "iresetn")) return plain(200, "no reset needed");
  if (starts_with_ci(line, "mod cmd UP1 check")) return plain(200, "UP1: check started");
  if (starts_with_ci(line, "mod cmd UP0 prot")) return plain(200, "UP0: firmware is up to date");
  if (starts_with_ci(line, "mod cmd CPU mips-usage")) return xml("<info mips=\"14\" idle=\"86\"/>\n");
  // Module commands the Devices App sends (docs/spec/phones.md §A.3); any other module command is
  // unknown here, as an unknown line is to a phone's interpreter.
  if (equals_ci(line, "mod cmd IP0 tcp-sockets")) return plain(200, "IP0: 12 tcp sockets");
  if (equals_ci(line, "mod CMD FLASHMAN0 info")) return plain(200, "FLASHMAN0: 16384k flash, 9216k free");
  if (equals_ci(line, "mem")) return plain(200, "mem: 65536k total, 21504k free");
  if (equals_ci(line, "buf")) return plain(200, "buf: 1024 total, 1013 free");
  if (starts_with_ci(line, "config show"))
    return plain(200, "config add PHONE USER /name " + id_.name + "\nconfig add PHONE USER /e164 " + id_.number);
  return plain(200, "error: unknown command");
}

} // namespace mpk::sim_phone
