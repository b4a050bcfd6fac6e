#include "services/gateway/admin_ui/relay_rules.hpp"

#include "common/http/url.hpp"
#include "common/net/http_proxy.hpp"

#include <algorithm>
#include <cctype>

namespace mpk::gateway::admin_ui {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool iequal(std::string_view a, std::string_view b) { return a.size() == b.size() && lower(a) == lower(b); }

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// Splits "scheme://authority/rest" (or "//authority/rest"); nullopt when `v` is no absolute URL.
struct absolute_url {
  std::string authority, host, rest; ///< rest: path + query + fragment, "/" at least
};

std::optional<absolute_url> split_absolute(std::string_view v) {
  std::size_t start = 0;
  if (starts_with(v, "//")) {
    start = 2;
  } else {
    auto colon = v.find("://");
    auto first_special = v.find_first_of("/?#");
    if (colon == std::string_view::npos || (first_special != std::string_view::npos && first_special < colon))
      return std::nullopt;
    start = colon + 3;
  }
  auto end = v.find_first_of("/?#", start);
  absolute_url u;
  u.authority = std::string(v.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
  u.rest = end == std::string_view::npos ? "/" : std::string(v.substr(end));
  if (u.rest.front() != '/') u.rest.insert(0, "/");
  auto host = std::string_view(u.authority);
  if (auto at = host.rfind('@'); at != std::string_view::npos) host.remove_prefix(at + 1);
  if (!host.empty() && host.front() == '[')
    host = host.substr(0, host.find(']') + 1);
  else
    host = host.substr(0, host.find(':'));
  u.host = lower(host);
  return u;
}

/// RFC 3986 §5.2.4 on the path part; never above the root.
std::string remove_dot_segments(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  bool trailing = false;
  while (i <= path.size()) {
    auto slash = path.find('/', i);
    auto seg = path.substr(i, slash == std::string_view::npos ? std::string_view::npos : slash - i);
    trailing = false;
    if (seg == "..") {
      if (!out.empty()) out.pop_back();
      trailing = true;
    } else if (seg == ".") {
      trailing = true;
    } else if (!seg.empty() || slash == std::string_view::npos) {
      out.push_back(seg);
    }
    if (slash == std::string_view::npos) break;
    i = slash + 1;
  }
  std::string s;
  for (auto seg : out) s += "/" + std::string(seg);
  if (s.empty() || trailing) s += "/";
  return s;
}

/// `ref` resolved against the phone's request target (both origin-form).
std::string resolve(std::string_view base, std::string_view ref) {
  auto base_path = base.substr(0, base.find_first_of("?#"));
  if (ref.empty()) return std::string(base);
  if (ref.front() == '?') return std::string(base_path) + std::string(ref);
  if (ref.front() == '#') return std::string(base.substr(0, base.find('#'))) + std::string(ref);
  auto dir = base_path.substr(0, base_path.rfind('/') + 1);
  std::string merged = std::string(dir) + std::string(ref);
  auto q = merged.find_first_of("?#");
  return remove_dot_segments(std::string_view(merged).substr(0, q)) + (q == std::string::npos ? "" : merged.substr(q));
}

/// The path of the passthrough base (its key included): what the Devices App may put in URLs.
std::string base_path_of(std::string_view upstream_base) {
  auto u = split_absolute(upstream_base);
  return u ? u->rest : std::string(upstream_base);
}

/// An origin-form path of the phone (or of the passthrough) in the browser's address space.
std::string map_path(std::string_view path, const relay_paths& p) {
  auto base_path = base_path_of(p.upstream_base);
  if (starts_with(path, base_path)) return p.prefix + std::string(path.substr(base_path.size()));
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  return p.prefix + std::string(path);
}

bool contains_secret(std::string_view value, const std::vector<std::string>& secrets) {
  for (auto& s : secrets)
    if (!s.empty() && value.find(s) != std::string_view::npos) return true;
  return false;
}

bool is_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

} // namespace

bool is_session_id(std::string_view id) { return id.size() == 16 && is_hex(id); }

std::optional<std::string> phone_target_of(std::string_view target, std::string_view prefix) {
  if (!starts_with(target, prefix)) return std::nullopt;
  std::string phone = "/" + std::string(target.substr(prefix.size()));
  auto path = std::string_view(phone).substr(0, phone.find_first_of("?#"));
  for (auto seg : http::path_segments(path)) {
    auto decoded = http::url_decode(seg);
    if (!decoded || *decoded == "." || *decoded == ".." || decoded->find('\\') != std::string::npos ||
        decoded->find('/') != std::string::npos)
      return std::nullopt;
  }
  if (auto hash = phone.find('#'); hash != std::string::npos) phone.erase(hash);
  return phone;
}

std::string cookie_value(const net::header_fields& fields, std::string_view name) {
  for (auto& [k, v] : fields) {
    if (!iequal(k, "Cookie")) continue;
    std::string_view rest = v;
    while (!rest.empty()) {
      auto semi = rest.find(';');
      auto pair = trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
      auto eq = pair.find('=');
      if (eq != std::string_view::npos && trim(pair.substr(0, eq)) == name)
        return std::string(trim(pair.substr(eq + 1)));
    }
  }
  return {};
}

net::header_fields request_fields(const net::header_fields& in) {
  static constexpr std::string_view dropped[] = {
    "Host",      "Expect",          "Origin",           "Referer",           "Forwarded",        "X-Forwarded-For",
    "X-Real-IP", "Accept-Encoding", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Port", "X-Forwarded-Prefix"};
  std::string connection;
  for (auto& [k, v] : in)
    if (iequal(k, "Connection")) connection += v + ",";
  net::header_fields out;
  std::string cookies;
  for (auto& [k, v] : in) {
    if (net::is_hop_by_hop(k, connection)) continue;
    if (std::any_of(std::begin(dropped), std::end(dropped), [&](std::string_view d) { return iequal(k, d); })) continue;
    if (iequal(k, "Cookie")) {
      // Every cookie but the relay's own: that one proves the browser to us, not to the phone.
      std::string_view rest = v;
      while (!rest.empty()) {
        auto semi = rest.find(';');
        auto pair = trim(rest.substr(0, semi));
        rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
        if (pair.empty() || trim(pair.substr(0, pair.find('='))) == cookie_name) continue;
        cookies += (cookies.empty() ? "" : "; ") + std::string(pair);
      }
      continue;
    }
    out.emplace_back(k, v);
  }
  if (!cookies.empty()) out.emplace_back("Cookie", cookies);
  out.emplace_back("Accept-Encoding", "identity");
  return out;
}

std::string rewrite_url(std::string_view value, const relay_paths& p) {
  value = trim(value);
  if (value.empty()) return {};
  if (starts_with(value, p.upstream_base)) return p.prefix + std::string(value.substr(p.upstream_base.size()));
  if (auto u = split_absolute(value)) {
    auto up = split_absolute(p.upstream_base);
    bool ours = u->host == lower(p.phone_host) || (up && (u->host == up->host));
    return ours ? map_path(u->rest, p) : std::string(value); // a link to another site stays as it is
  }
  if (value.front() == '/') return map_path(value, p);
  return map_path(resolve(p.phone_target, value), p);
}

std::optional<std::string> rewrite_set_cookie(std::string_view value, const relay_paths& p) {
  auto semi = value.find(';');
  auto pair = trim(value.substr(0, semi));
  if (trim(pair.substr(0, pair.find('='))) == cookie_name) return std::nullopt;
  std::string out(pair);
  bool has_path = false;
  for (auto rest = semi == std::string_view::npos ? std::string_view{} : value.substr(semi + 1); !rest.empty();) {
    auto next = rest.find(';');
    auto attr = trim(rest.substr(0, next));
    rest = next == std::string_view::npos ? std::string_view{} : rest.substr(next + 1);
    auto name = lower(trim(attr.substr(0, attr.find('='))));
    if (attr.empty() || name == "domain") continue; // the phone's host is not the browser's
    if (name == "path") {
      auto v = attr.find('=') == std::string_view::npos ? std::string_view{} : trim(attr.substr(attr.find('=') + 1));
      out += "; Path=" + (!v.empty() && v.front() == '/' ? map_path(v, p) : p.prefix);
      has_path = true;
      continue;
    }
    out += "; " + std::string(attr);
  }
  if (!has_path) {
    // RFC 6265 §5.1.4: the default path is the directory of the request's path.
    auto path = std::string_view(p.phone_target).substr(0, p.phone_target.find('?'));
    auto dir = path.substr(0, std::max<std::size_t>(path.rfind('/'), 1));
    out += "; Path=" + map_path(dir, p);
  }
  return out;
}

void response_fields(net::header_fields& fields, const relay_paths& p) {
  static constexpr std::string_view dropped[] = {
    "Strict-Transport-Security", "Public-Key-Pins", "Public-Key-Pins-Report-Only", "Alt-Svc", "Clear-Site-Data",
    "Referrer-Policy",           "Set-Cookie2"};
  auto secrets = secrets_of(p.upstream_base);
  net::header_fields out;
  for (auto& [k, v] : fields) {
    if (std::any_of(std::begin(dropped), std::end(dropped), [&](std::string_view d) { return iequal(k, d); })) continue;
    std::string value = v;
    if (iequal(k, "Location") || iequal(k, "Content-Location")) {
      value = rewrite_url(v, p);
    } else if (iequal(k, "Refresh")) {
      // "5; url=/next"
      auto at = lower(v).find("url=");
      if (at != std::string::npos) value = v.substr(0, at + 4) + rewrite_url(std::string_view(v).substr(at + 4), p);
    } else if (iequal(k, "Set-Cookie")) {
      auto c = rewrite_set_cookie(v, p);
      if (!c) continue;
      value = *c;
    }
    if (contains_secret(value, secrets)) continue; // whatever else names the passthrough goes
    out.emplace_back(k, std::move(value));
  }
  // Pages inside the relay tell the gateway their prefix through the Referer of every request
  // they make, which brings a stray absolute link back (referring_relay).
  out.emplace_back("Referrer-Policy", "same-origin");
  fields = std::move(out);
}

std::vector<std::string> secrets_of(std::string_view upstream_base) {
  std::vector<std::string> out;
  auto base = std::string(upstream_base);
  while (!base.empty() && base.back() == '/') base.pop_back();
  auto slash = base.rfind('/');
  if (slash == std::string::npos) return out;
  if (auto key = base.substr(slash + 1); !key.empty()) out.push_back(key);
  // The Devices App's passthrough URL, with and without its scheme and host.
  constexpr std::string_view marker = "/passthrough/";
  auto at = base.find(marker);
  auto url = at == std::string::npos ? base.substr(0, slash + 1) : base.substr(0, at + marker.size());
  out.push_back(url);
  auto path = base_path_of(url);
  if (path != url && path.size() > 1) out.push_back(path);
  return out;
}

bool audited(std::string_view method, std::string_view phone_target) {
  return method != "GET" || starts_with(phone_target, "/!") || lower(phone_target.substr(0, 4)) == "/%21";
}

std::string audit_what(std::string_view method, std::string_view phone_target) {
  auto q = phone_target.find('?');
  std::string out = std::string(method) + " " + std::string(phone_target.substr(0, q));
  if (q != std::string_view::npos) {
    out += "?";
    auto query = phone_target.substr(q + 1);
    bool first = true;
    while (!query.empty()) {
      auto amp = query.find('&');
      auto pair = query.substr(0, amp);
      query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
      auto name = lower(pair.substr(0, pair.find('=')));
      bool secret = name.find("pw") != std::string::npos || name.find("pass") != std::string::npos ||
                    name.find("secret") != std::string::npos || name.find("key") != std::string::npos ||
                    name.find("token") != std::string::npos;
      out += first ? "" : "&";
      out += secret ? std::string(pair.substr(0, pair.find('='))) + "=***" : std::string(pair);
      first = false;
    }
  }
  if (out.size() > 300) out = out.substr(0, 297) + "...";
  return out;
}

std::optional<std::string> referring_relay(std::string_view referer, std::string_view host) {
  auto u = split_absolute(trim(referer));
  if (!u || (!host.empty() && lower(u->authority) != lower(host))) return std::nullopt;
  auto segs = http::path_segments(u->rest);
  if (segs.size() < 4 || segs[2] != "admin" || !is_session_id(segs[3])) return std::nullopt;
  return "/" + std::string(segs[0]) + "/" + std::string(segs[1]) + "/admin/" + std::string(segs[3]) + "/";
}

std::string session_cookie(std::string_view secret, std::string_view prefix, bool secure) {
  std::string c = std::string(cookie_name) + "=" + std::string(secret) + "; Path=" + std::string(prefix) +
                  "; HttpOnly; SameSite=Strict";
  if (secure) c += "; Secure";
  return c;
}

} // namespace mpk::gateway::admin_ui
