#include "common/net/url.hpp"

namespace mpk::net {

std::optional<url_parts> parse_url(std::string_view url) {
  url_parts p;
  auto sep = url.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  p.scheme = std::string(url.substr(0, sep));
  for (auto& c : p.scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (p.scheme != "ws" && p.scheme != "wss" && p.scheme != "http" && p.scheme != "https") return std::nullopt;
  auto rest = url.substr(sep + 3);
  auto slash = rest.find('/');
  auto authority = rest.substr(0, slash);
  p.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (authority.empty()) return std::nullopt;
  if (authority.front() == '[') { // IPv6 literal
    auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    p.host = std::string(authority.substr(1, close - 1));
    auto after = authority.substr(close + 1);
    if (!after.empty() && after.front() == ':') p.port = std::string(after.substr(1));
  } else {
    auto colon = authority.rfind(':');
    p.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) p.port = std::string(authority.substr(colon + 1));
  }
  if (p.host.empty()) return std::nullopt;
  if (p.port.empty()) p.port = p.tls() ? "443" : "80";
  if (p.port.size() > 5) return std::nullopt;
  for (char c : p.port)
    if (c < '0' || c > '9') return std::nullopt;
  if (auto n = std::stoul(p.port); n == 0 || n > 65535) return std::nullopt; // callers may narrow it
  return p;
}

} // namespace mpk::net
