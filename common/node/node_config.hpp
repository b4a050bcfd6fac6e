#pragma once
/// Node options of the split deployment (node.*): where this process publishes its service actor,
/// which peers it connects to, and the TLS material of the node links. Pure logic, no CAF types.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mpk::config {
class settings;
}

namespace mpk::cluster {

struct peer_address {
  std::string host;
  std::uint16_t port = 0;
  std::string text() const { return host + ":" + std::to_string(port); }
};

/// "host:port" (host may be a name, an IPv4 address or [IPv6]); nullopt with `error` set otherwise.
std::optional<peer_address> parse_peer(std::string_view text, std::string& error);

struct node_options {
  std::string bind = "127.0.0.1"; ///< interface of the published port (never "any" by default)
  std::uint16_t publish_port = 0; ///< 0 = pick a free port (printed at start)
  int health_port = -1;           ///< GET /healthz of registry/phone-session: -1 off, 0 any free port
  std::vector<peer_address> registry_peers, phone_peers;
  std::string certificate, key, cafile, passphrase; ///< caf_openssl material; all three or none
  bool insecure = false;                            ///< allow unauthenticated node links without certificates
  bool tls() const { return !certificate.empty(); }
};

/// Declares node.port, node.bind, node.registry, node.phones, node.tls.*, node.health-port, node.insecure.
void add_node_options(config::settings& s);

/// Reads and checks the node options; nullopt with `error` for bad peers or partial TLS material.
std::optional<node_options> node_options_from(const config::settings& s, std::string& error);

} // namespace mpk::cluster
