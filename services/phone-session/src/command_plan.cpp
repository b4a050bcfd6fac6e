#include "services/phone-session/src/command_plan.hpp"

#include <optional>

namespace mpk::session {

std::string printable(std::string_view s, std::size_t max) {
  if (!models::valid_utf8(s)) return "<" + std::to_string(s.size()) + " bytes, not UTF-8>";
  std::string out;
  out.reserve(std::min(s.size(), max));
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (out.size() + len > max) {
      out += "...";
      break;
    }
    if (c < 0x20 || c == 0x7F) {
      out += ' ';
      continue;
    }
    out.append(s.substr(i, len));
    i += len - 1;
  }
  return out;
}

std::string output_text(std::string_view body, std::size_t max) {
  if (!models::valid_utf8(body)) return "(" + std::to_string(body.size()) + " bytes of binary output)";
  std::string out;
  out.reserve(std::min(body.size(), max));
  for (std::size_t i = 0; i < body.size(); ++i) {
    auto c = static_cast<unsigned char>(body[i]);
    std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (out.size() + len > max) {
      out += "\n(output cut at " + std::to_string(max) + " bytes)";
      break;
    }
    if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7F) {
      out += ' ';
      continue;
    }
    out.append(body.substr(i, len));
    i += len - 1;
  }
  return out;
}

std::string describe_command(const command_args& c) {
  std::string out = to_string(c.kind);
  if (c.kind == command_kind::touch) {
    out += " " + std::to_string(c.x) + "," + std::to_string(c.y);
  } else if (c.kind == command_kind::text) {
    out += " \"" + printable(c.name, 64) + "\"";
  } else {
    if (!c.name.empty()) out += " " + printable(c.name, 128);
    if (!c.arg.empty()) out += " " + printable(c.arg, 64);
  }
  if ((c.kind == command_kind::key || c.kind == command_kind::touch) && c.hold_ms != 0)
    out += " hold " + std::to_string(c.hold_ms) + "ms";
  return out;
}

std::string searched_entry(command_kind kind) {
  switch (kind) {
    case command_kind::key:
    case command_kind::touch:
    case command_kind::text: return to_string(kind);
    case command_kind::action:
    case command_kind::command:
    case command_kind::labels: break;
  }
  return {};
}

std::variant<command_plan, command_refusal> plan_command(const models::catalog& cat, const models::model& m,
                                                         const command_args& c) {
  return plan_command(cat, m, m.wire, m.wire.candidate(searched_entry(c.kind)), c);
}

std::variant<command_plan, command_refusal> plan_command(const models::catalog& cat, const models::model& m,
                                                         const models::wire_spec& w, const models::wire_candidate* form,
                                                         const command_args& c) {
  std::string what = describe_command(c);
  std::string err;
  std::optional<std::string> path;
  bool refresh = false;
  if (!searched_entry(c.kind).empty() && !form)
    return command_refusal{"BAD_REQUEST", "no " + std::string(to_string(c.kind)) + " form in the wire data", what};
  switch (c.kind) {
    case command_kind::key:
      if (!m.has_key(c.name))
        return command_refusal{"BAD_KEY", "unknown key \"" + printable(c.name, 64) + "\" for " + m.product, what};
      path = cat.key_request(m, w, *form, c.name, c.hold_ms, err);
      refresh = true;
      break;
    case command_kind::touch:
      path = cat.touch_request(m, *form, c.x, c.y, c.hold_ms, err);
      refresh = true;
      break;
    case command_kind::text:
      path = cat.text_request(*form, c.name, err);
      refresh = true;
      break;
    case command_kind::action:
      path = cat.action_request(w, c.name, c.arg, err);
      refresh = true;
      break;
    case command_kind::command: path = cat.command_request(w, c.name, err); break;
    case command_kind::labels:
      return command_refusal{"BAD_REQUEST", "key labels are kept by the session, not sent to the phone", what};
  }
  if (!path) return command_refusal{"BAD_REQUEST", err.empty() ? std::string("request refused") : err, what};
  return command_plan{std::move(*path), std::move(what), refresh};
}

} // namespace mpk::session
