#pragma once
// Settings of the admin-UI relay: session lifetimes, the upload limit, the passthrough's TLS,
// and the optional answer to a phone's login challenge with a password the operator configured.

#include "common/net/connection.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

namespace mpk::config {
class settings;
}

namespace mpk::gateway {

struct admin_ui_options {
  std::chrono::seconds ticket_life{60};     ///< an OpenAdminUi URL not opened within this is void
  std::chrono::seconds idle{15 * 60};       ///< a relay session without a request for this long ends
  std::chrono::milliseconds grace{10000};   ///< after its app's websocket closed (a reconnect within keeps it)
  std::uint64_t max_upload = 64u << 20;     ///< request bodies (firmware, config) beyond this get 413
  std::chrono::milliseconds timeout{30000}; ///< per network step of a relayed exchange
  net::tls_client_options tls;              ///< towards the Devices App's passthrough
  /// Answer the phone's own login challenge with the admin password of the phone's Devices
  /// domain (docs/security.md: the trade-off). Off by default.
  bool inject_credentials = false;
  std::string user = "admin";
  std::map<std::string, std::string> passwords; ///< Devices domain name -> admin password it deploys
};

/// Declares phone.admin-ui-* and phone.admin-password.<domain> (the tls.* client options too).
void add_admin_ui_options(config::settings& s);
/// The values as configured (check_admin_ui_options says whether they are usable).
void admin_ui_options_from(const config::settings& s, admin_ui_options& o);
/// False and `error` for values out of range.
bool check_admin_ui_options(const admin_ui_options& o, std::string& error);

} // namespace mpk::gateway
