#pragma once
/// A blocking HTTP/1.1 request for the benchmark drivers (the simulator's control API, the Node
/// reference's event endpoint). Loopback only, no TLS.

#include <optional>
#include <string>

namespace mpk::bench {

struct http_answer {
  int status = 0;
  std::string body;
};

/// `method` `url` ("http://host:port/path?query") with `body` (JSON); nullopt when the server
/// cannot be reached or answers garbage. Never throws.
std::optional<http_answer> http_call(const std::string& method, const std::string& url, const std::string& body = {});

} // namespace mpk::bench
