#pragma once
/// The simulated phone's own admin web interface, as a browser meets it: an info page open to
/// anyone and every other page behind HTTP Digest with the admin password (innovaphone wiki
/// Reference7:Configuration/General/Admin: "By default all pages except Administration/General/Info
/// are password protected"), pages with absolute and relative links, a settings form answered
/// with 303 to a page that shows the change, a cookie, a stylesheet with validators, a
/// configuration download of a few MB and an upload. Paths, page layout and realm are the
/// simulator's own (docs/simulator.md); a real phone's admin UI is XML + XSL.

#include "common/crypto/http_digest.hpp"
#include "sim/phone/phone_identity.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mpk::models {
struct registration;
}

namespace mpk::sim_phone {

struct web_request;
struct web_response;

class admin_ui {
public:
  static constexpr std::size_t backup_bytes = 3u << 20; ///< the configuration download
  static constexpr std::size_t max_location = 64;

  admin_ui(std::string product, phone_identity id);

  /// True for the paths this interface serves ("/", "/admin.xml", "/admin.css", "/ADMIN/...").
  static bool serves(std::string_view path);

  web_response handle(const web_request& req, const std::vector<models::registration>& regs);

  /// The admin password: the one the Devices domain deployed (sysclient 0x0003), else the
  /// simulator's `phone-password`. Until one is set no login succeeds.
  void set_password(std::string password);
  const std::string& password() const { return password_; }
  const std::string& realm() const { return realm_; }
  const std::string& location() const { return location_; }

  struct counters {
    std::uint64_t challenges = 0, logins = 0, settings_saved = 0, uploads = 0, upload_bytes = 0, downloads = 0;
  };
  const counters& stats() const { return stats_; }

private:
  crypto::http_digest::server::verdict check_login(const web_request& req) const;
  web_response challenge(bool stale);
  web_response info_page(const std::vector<models::registration>& regs) const;
  web_response settings_page(const web_request& req) const;
  web_response save_settings(const web_request& req);
  web_response maintenance_page(const web_request& req) const;
  web_response backup(const web_request& req);
  web_response upload(const web_request& req);
  web_response stylesheet(const web_request& req) const;

  std::string product_;
  phone_identity id_;
  std::string realm_, password_;
  crypto::http_digest::server auth_;
  std::string location_;
  std::uint64_t upload_last_ = 0;
  counters stats_;
};

} // namespace mpk::sim_phone
