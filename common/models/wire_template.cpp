#include "common/models/wire_template.hpp"

namespace mpk::models {

namespace {

std::string_view lookup(const wire_values& values, std::string_view name, bool& found) {
  for (const auto& [n, v] : values)
    if (n == name) {
      found = true;
      return v;
    }
  found = false;
  return {};
}

/// Splits "a=b&c=d" into (name, value) pairs without decoding.
std::vector<std::pair<std::string_view, std::string_view>> split_query(std::string_view q) {
  std::vector<std::pair<std::string_view, std::string_view>> out;
  while (!q.empty()) {
    auto amp = q.find('&');
    auto part = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
    if (part.empty()) continue;
    auto eq = part.find('=');
    if (eq == std::string_view::npos)
      out.emplace_back(part, std::string_view{});
    else
      out.emplace_back(part.substr(0, eq), part.substr(eq + 1));
  }
  return out;
}

/// A template value that is exactly "{name}": returns name.
std::optional<std::string_view> whole_placeholder(std::string_view v) {
  if (v.size() >= 2 && v.front() == '{' && v.back() == '}' && v.find('{', 1) == std::string_view::npos &&
      v.find('}') == v.size() - 1)
    return v.substr(1, v.size() - 2);
  return std::nullopt;
}

} // namespace

std::optional<std::vector<std::string>> template_placeholders(std::string_view tmpl) {
  std::vector<std::string> names;
  size_t i = 0;
  while (i < tmpl.size()) {
    if (tmpl[i] == '}') return std::nullopt;
    if (tmpl[i] != '{') {
      ++i;
      continue;
    }
    auto end = tmpl.find('}', i);
    if (end == std::string_view::npos) return std::nullopt;
    auto name = tmpl.substr(i + 1, end - i - 1);
    if (name.empty() || name.find('{') != std::string_view::npos) return std::nullopt;
    names.emplace_back(name);
    i = end + 1;
  }
  return names;
}

std::optional<std::string> render_template(std::string_view tmpl, const wire_values& values) {
  std::string out;
  bool in_query = false;
  size_t i = 0;
  while (i < tmpl.size()) {
    char c = tmpl[i];
    if (c == '{') {
      auto end = tmpl.find('}', i);
      if (end == std::string_view::npos) return std::nullopt;
      bool found = false;
      auto v = lookup(values, tmpl.substr(i + 1, end - i - 1), found);
      if (!found) return std::nullopt;
      out += url_encode(v, !in_query);
      i = end + 1;
      continue;
    }
    if (c == '?') in_query = true;
    if (c == ' ')
      out += "%20";
    else
      out.push_back(c);
    ++i;
  }
  return out;
}

std::optional<wire_captures> match_template(std::string_view tmpl, std::string_view target, int* specificity) {
  wire_captures caps;
  int literal = 0;
  auto tq = tmpl.find('?');
  auto rq = target.find('?');
  std::string_view tpath = tmpl.substr(0, tq);
  std::string_view rpath_raw = target.substr(0, rq);
  auto rpath = url_decode(rpath_raw);
  if (!rpath) return std::nullopt;

  // -- path: literal, or literal prefix + one placeholder + literal suffix --
  auto open = tpath.find('{');
  if (open == std::string_view::npos) {
    if (tpath != *rpath) return std::nullopt;
    literal += static_cast<int>(tpath.size());
  } else {
    auto close = tpath.find('}', open);
    if (close == std::string_view::npos) return std::nullopt;
    auto prefix = tpath.substr(0, open);
    auto suffix = tpath.substr(close + 1);
    std::string_view rp = *rpath;
    if (rp.size() < prefix.size() + suffix.size() || rp.substr(0, prefix.size()) != prefix ||
        rp.substr(rp.size() - suffix.size()) != suffix)
      return std::nullopt;
    caps.emplace_back(std::string(tpath.substr(open + 1, close - open - 1)),
                      std::string(rp.substr(prefix.size(), rp.size() - prefix.size() - suffix.size())));
    literal += static_cast<int>(prefix.size() + suffix.size());
  }

  // -- query: every template parameter must be present --
  auto tparams = split_query(tq == std::string_view::npos ? std::string_view{} : tmpl.substr(tq + 1));
  auto rparams = split_query(rq == std::string_view::npos ? std::string_view{} : target.substr(rq + 1));
  for (const auto& [tname, tval] : tparams) {
    std::optional<std::string> value;
    for (const auto& [rname, rval] : rparams) {
      auto n = url_decode(rname, true);
      if (n && *n == tname) {
        value = url_decode(rval, true);
        if (!value) return std::nullopt;
        break;
      }
    }
    if (!value) return std::nullopt;
    if (auto ph = whole_placeholder(tval)) {
      caps.emplace_back(std::string(*ph), std::move(*value));
      literal += static_cast<int>(tname.size());
    } else {
      if (*value != tval) return std::nullopt;
      literal += static_cast<int>(tname.size() + tval.size());
    }
  }
  if (specificity) *specificity = literal;
  return caps;
}

std::optional<int> parse_decimal(std::string_view s, int lo, int hi) {
  if (s.empty() || s.size() > 6) return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (v < lo || v > hi) return std::nullopt;
  return v;
}

std::string_view capture(const wire_captures& c, std::string_view name) {
  for (const auto& [n, v] : c)
    if (n == name) return v;
  return {};
}

} // namespace mpk::models
