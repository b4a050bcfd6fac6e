#pragma once
/// Live phones reached directly, as a technician reaches one phone at its own address:
/// `/direct/<hwId>/<phone path>` on the simulator's port is that phone's `<phone path>`, behind
/// HTTP Digest with the user "admin" and the phone's admin password (the one its Devices domain
/// deployed with sysclient 0x0003, else the simulator's `phone-password`). The Digest answer's
/// uri is the phone path, as the phone's own web server sees it.

#include "common/crypto/http_digest.hpp"
#include "common/net/connection.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace mpk::sim {

class phone_fleet;

class direct_access {
public:
  direct_access(phone_fleet& fleet, std::string default_password);

  /// The answer for a request under /direct/, nullopt for any other path.
  std::optional<net::http_reply> handle(const net::http_request_info& req);

  static constexpr const char* prefix = "/direct/";
  static constexpr const char* user = "admin";

private:
  /// The Digest side of one phone; made anew when its password changes.
  std::shared_ptr<crypto::http_digest::server> gate(const std::string& hw_id, const std::string& product,
                                                    const std::string& password);

  phone_fleet& fleet_;
  std::string default_password_;
  std::mutex mu_;
  std::map<std::string, std::pair<std::string, std::shared_ptr<crypto::http_digest::server>>> gates_;
};

} // namespace mpk::sim
