#pragma once
/// What the registry tells about each devices-api link: the admin "status" JSON and the
/// "Log Service Connections" lines.

#include "common/actors/messages.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace mpk::registry {

struct link_status {
  std::string id, tenant, name, url;
  link_state state = link_state::connecting;
  std::string since; ///< UTC time of the last state change, ISO 8601
  std::string last_error;
  std::string refused_cert; ///< SHA-256 (hex) of the certificate refused last ("" unless state "untrusted")
  std::string pinned;       ///< "sha256/<hex>" the link trusts by the operator's pin, "" = by CA
  std::uint64_t devices = 0, domains = 0;
  std::uint64_t reconnects = 0; ///< connection attempts after the first one
  bool admin = false;
};

/// [{"id","tenant","name","url","state","since","devices","domains","reconnects","lastError","admin"}...]
std::string status_json(const std::vector<link_status>& links);

/// One log line, e.g. "t1/devices-api: up since 2024-05-01T10:00:00Z, 120 devices in 3 domains, ...".
std::string status_line(const link_status& s);

/// Now as "YYYY-MM-DDThh:mm:ssZ".
std::string utc_now();

} // namespace mpk::registry
