#pragma once
// Splitting ws://, wss://, http:// and https:// URLs into their parts.

#include <optional>
#include <string>
#include <string_view>

namespace mpk::net {

struct url_parts {
  std::string scheme; ///< ws, wss, http, https
  std::string host;
  std::string port;   ///< explicit or the scheme's default; always 1..65535
  std::string target; ///< path + query, "/" at least
  bool tls() const { return scheme == "wss" || scheme == "https"; }
};

std::optional<url_parts> parse_url(std::string_view url);

} // namespace mpk::net
