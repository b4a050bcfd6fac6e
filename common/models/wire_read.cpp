// Reading and checking wire objects: the rules every form and candidate must follow.

#include "common/models/wire_read.hpp"

#include "common/models/wire_entries.hpp"
#include "common/models/wire_template.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace mpk::models::detail {

namespace {

using json::reader;

bool contains(const std::vector<std::string_view>& v, std::string_view x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

/// Checks a path template: starts with '/', balanced braces, only allowed placeholders,
/// all required ones present, a path placeholder only once, query placeholders only as
/// whole parameter values.
bool check_template(reader& rd, const std::string& path, const std::string& t,
                    const std::vector<std::string_view>& allowed, const std::vector<std::string_view>& required) {
  if (t.empty() || t.front() != '/') return rd.fail(path, "must start with '/'");
  auto names = template_placeholders(t);
  if (!names) return rd.fail(path, "unbalanced '{' '}'");
  for (const auto& n : *names)
    if (!contains(allowed, n)) return rd.fail(path, "unknown placeholder {" + n + "}");
  for (const auto& n : required)
    if (std::find(names->begin(), names->end(), n) == names->end())
      return rd.fail(path, "needs placeholder {" + std::string(n) + "}");
  auto q = t.find('?');
  auto p = std::string_view(t).substr(0, q);
  if (std::count(p.begin(), p.end(), '{') > 1) return rd.fail(path, "at most one placeholder in the path part");
  if (q != std::string::npos) {
    std::string_view query = std::string_view(t).substr(q + 1);
    while (!query.empty()) {
      auto amp = query.find('&');
      auto part = query.substr(0, amp);
      query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
      auto eq = part.find('=');
      auto name = part.substr(0, eq);
      auto value = eq == std::string_view::npos ? std::string_view{} : part.substr(eq + 1);
      if (name.find('{') != std::string_view::npos) return rd.fail(path, "placeholder in a parameter name");
      auto open = value.find('{');
      if (open != std::string_view::npos && (open != 0 || value.back() != '}'))
        return rd.fail(path, "a placeholder must be a whole parameter value");
    }
  }
  return true;
}

/// A {name: string} object merged into `list` (null removes a name).
bool read_string_map(reader& rd, json::element v, const std::string& path,
                     std::vector<std::pair<std::string, std::string>>& list, bool allow_null) {
  json::object m;
  if (!rd.get_object(v, path, m)) return false;
  for (auto [name, val] : m) {
    std::string n(name);
    auto it = std::find_if(list.begin(), list.end(), [&](auto& p) { return p.first == n; });
    if (val.is_null() && allow_null) {
      if (it != list.end()) list.erase(it);
      continue;
    }
    std::string s;
    if (!rd.get_string(val, path + "." + n, s)) return false;
    if (s.empty()) return rd.fail(path + "." + n, "must not be empty");
    if (it != list.end())
      it->second = s;
    else
      list.emplace_back(n, s);
  }
  return true;
}

bool read_format(reader& rd, json::element v, const std::string& path, const wire_entry_rule& rule, wire_format& out) {
  json::object o;
  if (!rd.get_object(v, path, o)) return false;
  for (auto [k, val] : o) {
    std::string key(k), p = path + "." + key;
    if (!contains(rule.format_keys, key))
      return rd.fail(p, rule.format_keys.empty() ? "entry " + std::string(rule.name) + " takes no format"
                                                 : "unknown format setting");
    std::string s;
    std::int64_t n = 0;
    if (val.get(n) == simdjson::SUCCESS)
      s = std::to_string(n);
    else if (!rd.get_string(val, p, s))
      return false;
    if (key == "idBase" && s != "0" && s != "1") return rd.fail(p, "must be 0 or 1");
    out.emplace_back(key, s);
  }
  return true;
}

bool read_candidate(reader& rd, json::element v, const std::string& path, const wire_entry_rule& rule,
                    wire_candidate& c) {
  if (v.is_string()) return rd.get_string(v, path, c.form);
  json::object o;
  if (!rd.get_object(v, path, o)) return rd.fail(path, "must be a form (string) or a candidate {form, source, ...}");
  for (auto [k, val] : o) {
    std::string key(k), p = path + "." + key;
    if (key == "form") {
      if (!rd.get_string(val, p, c.form)) return false;
    } else if (key == "source" || key == "note") {
      std::string s;
      if (!rd.get_string(val, p, s)) return false;
      if (key == "source") c.source = s;
    } else if (key == "keyCodes") {
      if (rule.name != "key") return rd.fail(p, "only key candidates carry keyCodes");
      if (!read_string_map(rd, val, p, c.key_codes, false)) return false;
      std::sort(c.key_codes.begin(), c.key_codes.end());
    } else if (key == "format") {
      if (!read_format(rd, val, p, rule, c.format)) return false;
    } else {
      return rd.fail(p, "unknown candidate field (form, source, note, keyCodes, format)");
    }
  }
  if (c.form.empty()) return rd.fail(path + ".form", "missing");
  return true;
}

bool read_entry(reader& rd, json::element v, const std::string& path, const wire_entry_rule& rule, wire_entry& e) {
  std::vector<wire_candidate> list;
  if (v.is_array()) {
    json::array a;
    rd.get_array(v, path, a);
    std::size_t i = 0;
    for (auto item : a) {
      wire_candidate c;
      if (!read_candidate(rd, item, path + "[" + std::to_string(i++) + "]", rule, c)) return false;
      list.push_back(std::move(c));
    }
    if (list.empty()) return rd.fail(path, "needs at least one candidate");
  } else {
    wire_candidate c;
    if (!read_candidate(rd, v, path, rule, c)) return false;
    list.push_back(std::move(c));
  }
  e.candidates = std::move(list);
  return true;
}

} // namespace

bool safe_name(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; });
}

wire_spec empty_wire() {
  wire_spec w;
  for (const auto& r : wire_entry_rules()) w.entries.push_back(wire_entry{std::string(r.name), {}});
  return w;
}

bool read_wire(reader& rd, json::object o, const std::string& base, wire_spec& w) {
  for (auto [k, v] : o) {
    std::string key(k);
    std::string path = base + "." + key;
    if (const auto* rule = find_wire_rule(key)) {
      wire_entry* e = w.entry(key);
      if (!e) {
        w.entries.push_back(wire_entry{key, {}});
        e = &w.entries.back();
      }
      if (!read_entry(rd, v, path, *rule, *e)) return false;
    } else if (key == "keyCodes") {
      if (!read_string_map(rd, v, path, w.key_codes, true)) return false;
      std::sort(w.key_codes.begin(), w.key_codes.end());
    } else if (key == "actions") {
      if (!read_string_map(rd, v, path, w.actions, true)) return false;
    } else {
      return rd.fail(path, "unknown wire entry");
    }
  }
  return true;
}

bool check_wire(reader& rd, const std::string& base, const wire_spec& w) {
  for (const auto& rule : wire_entry_rules()) {
    const wire_entry* e = w.entry(rule.name);
    std::string path = base + "." + std::string(rule.name);
    if (!e || e->candidates.empty()) return rd.fail(path, "missing");
    bool many = e->candidates.size() > 1;
    for (std::size_t i = 0; i < e->candidates.size(); ++i) {
      const auto& c = e->candidates[i];
      std::string cp = many ? path + "[" + std::to_string(i) + "]" : path;
      if (!check_template(rd, cp, c.form, rule.placeholders, rule.required)) return false;
    }
  }
  const std::string& command = w.form("command");
  if (command.find('?') != std::string::npos && command.find('{') > command.find('?'))
    return rd.fail(base + ".command", "{command} must be in the path part");
  for (const auto& [n, t] : w.actions) {
    if (!safe_name(n)) return rd.fail(base + ".actions." + n, "bad action name");
    if (!check_template(rd, base + ".actions." + n, t, {"arg"}, {})) return false;
  }
  return true;
}

bool check_key_codes(reader& rd, const std::string& path, const model& m, const wire_spec& w) {
  auto check = [&](const std::vector<std::pair<std::string, std::string>>& codes, const std::string& where) {
    std::set<std::string> seen;
    for (const auto& k : m.keys) {
      auto it = std::lower_bound(codes.begin(), codes.end(), k.id,
                                 [](const auto& p, const std::string& v) { return p.first < v; });
      if (it == codes.end() || it->first != k.id)
        return rd.fail(path, "key " + k.id + " has no wire code (" + where + ")");
      if (!seen.insert(it->second).second)
        return rd.fail(path, "wire code \"" + it->second + "\" used by two keys (" + where + ")");
    }
    return true;
  };
  if (!check(w.key_codes, "wire.keyCodes")) return false;
  if (const wire_entry* keys = w.entry("key"))
    for (std::size_t i = 0; i < keys->candidates.size(); ++i)
      if (!keys->candidates[i].key_codes.empty() &&
          !check(w.key_codes_for(keys->candidates[i]), "wire.key[" + std::to_string(i) + "].keyCodes"))
        return false;
  return true;
}

} // namespace mpk::models::detail
