#include "services/phone-session/wire/phone_url.hpp"

namespace mpk::wire {

std::string join_url(std::string_view base, std::string_view path) {
  std::string out(base);
  bool base_slash = !out.empty() && out.back() == '/';
  bool path_slash = !path.empty() && path.front() == '/';
  if (base_slash && path_slash)
    path.remove_prefix(1);
  else if (!base_slash && !path_slash && !path.empty())
    out += '/';
  out.append(path);
  return out;
}

std::string without_secret(std::string_view text, std::string_view base_url) {
  std::string out(text);
  if (base_url.empty()) return out;
  for (auto pos = out.find(base_url); pos != std::string::npos; pos = out.find(base_url, pos))
    out.replace(pos, base_url.size(), "<passthrough>/");
  return out;
}

} // namespace mpk::wire
