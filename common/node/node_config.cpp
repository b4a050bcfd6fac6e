#include "common/node/node_config.hpp"

#include "common/base/config.hpp"

#include <charconv>

namespace mpk::cluster {

std::optional<peer_address> parse_peer(std::string_view text, std::string& error) {
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 >= text.size()) {
    error = "peer '" + std::string(text) + "' is not host:port";
    return std::nullopt;
  }
  auto host = text.substr(0, colon);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') {
      error = "peer '" + std::string(text) + "' has a malformed [IPv6] host";
      return std::nullopt;
    }
    host = host.substr(1, host.size() - 2);
  }
  auto port_text = text.substr(colon + 1);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
  if (ec != std::errc{} || end != port_text.data() + port_text.size() || value == 0 || value > 65535) {
    error = "peer '" + std::string(text) + "' has no valid port (1..65535)";
    return std::nullopt;
  }
  for (char c : host)
    if (c == ' ' || c == '/' || c == '\t') {
      error = "peer '" + std::string(text) + "' has an invalid host";
      return std::nullopt;
    }
  return peer_address{std::string(host), static_cast<std::uint16_t>(value)};
}

void add_node_options(config::settings& s) {
  s.add("node.bind", "127.0.0.1", "interface the node port listens on (other processes connect here)")
    .add("node.port", "0", "node port (CAF BASP) of this process; 0 picks a free one")
    .add("node.registry", "", "registry node(s) as host:port (gateway, phone-session)")
    .add("node.phones", "", "phone-session nodes as host:port list (gateway); phones are spread over them by device id")
    .add("node.tls.certificate", "", "PEM certificate of this node (node links with TLS, peers verified)")
    .add("node.tls.key", "", "PEM private key of node.tls.certificate")
    .add("node.tls.cafile", "", "CA bundle the peers' certificates are verified against")
    .add("node.tls.passphrase", "", "passphrase of node.tls.key", true)
    .add("node.health-port", "-1", "HTTP port of GET /healthz (registry, phone-session); -1 = off, 0 = any free port")
    .add("node.insecure", "false", "allow node links without TLS certificates (unauthenticated; lab/localhost only)");
}

std::optional<node_options> node_options_from(const config::settings& s, std::string& error) {
  node_options o;
  o.bind = s.get("node.bind");
  auto port = s.get_int("node.port");
  if (port < 0 || port > 65535) {
    error = "node.port must be 0..65535";
    return std::nullopt;
  }
  o.publish_port = static_cast<std::uint16_t>(port);
  auto health = s.get_int("node.health-port");
  if (health < -1 || health > 65535) {
    error = "node.health-port must be -1 (off) or 0..65535";
    return std::nullopt;
  }
  o.health_port = static_cast<int>(health);
  for (auto& [name, out] : {std::pair{"node.registry", &o.registry_peers}, std::pair{"node.phones", &o.phone_peers}})
    for (auto& text : s.get_list(name)) {
      auto p = parse_peer(text, error);
      if (!p) {
        error = std::string(name) + ": " + error;
        return std::nullopt;
      }
      out->push_back(*p);
    }
  o.certificate = s.get("node.tls.certificate");
  o.key = s.get("node.tls.key");
  o.cafile = s.get("node.tls.cafile");
  o.passphrase = s.get("node.tls.passphrase");
  o.insecure = s.get_bool("node.insecure");
  int given = !o.certificate.empty() + !o.key.empty() + !o.cafile.empty();
  if (given != 0 && given != 3) {
    error = "node.tls.certificate, node.tls.key and node.tls.cafile are needed together";
    return std::nullopt;
  }
  return o;
}

} // namespace mpk::cluster
