#include "common/base/redact.hpp"

namespace mpk::log {

namespace {

constexpr std::string_view scheme_sep = "://";
constexpr std::string_view passthrough = "/passthrough/";

bool ends_url(char c) { return c == ' ' || c == '"' || c == '\'' || c == '\n' || c == '\t' || c == '<' || c == '>'; }

/// Drops `user:password@` of the URL whose "://" is at `pos` in `s`.
void drop_userinfo(std::string& s, std::size_t pos) {
  auto start = pos + scheme_sep.size();
  auto end = start;
  while (end < s.size() && s[end] != '/' && !ends_url(s[end])) ++end;
  auto at = s.rfind('@', end == 0 ? 0 : end - 1);
  if (at != std::string::npos && at >= start && at < end) s.erase(start, at + 1 - start);
}

} // namespace

std::string url_for_display(std::string_view url) {
  std::string out(url.substr(0, url.find_first_of("?#")));
  if (auto pos = out.find(scheme_sep); pos != std::string::npos) drop_userinfo(out, pos);
  return out;
}

std::string without_secrets(std::string_view text) {
  std::string out(text);
  for (auto pos = out.find(scheme_sep); pos != std::string::npos; pos = out.find(scheme_sep, pos + 1))
    drop_userinfo(out, pos);
  // ".../passthrough/<hwId>/<key>/rest": the segment after the hwId is the session key.
  for (auto pos = out.find(passthrough); pos != std::string::npos; pos = out.find(passthrough, pos + 1)) {
    auto hw_end = out.find('/', pos + passthrough.size());
    if (hw_end == std::string::npos) break;
    auto key_end = hw_end + 1;
    while (key_end < out.size() && out[key_end] != '/' && !ends_url(out[key_end])) ++key_end;
    if (key_end > hw_end + 1) out.replace(hw_end + 1, key_end - hw_end - 1, "…");
  }
  return out;
}

} // namespace mpk::log
