#pragma once
/// What the simulated PBX knows about itself: its names, the product's App object, the services it
/// grants to that App object and its users. Plain data, shared by the PBX link and the myApps shell.

#include "common/net/connection.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mpk::sim {

/// A service granted to our App object on its "Apps" tab (the Devices App, as the PBX lists it).
struct granted_service {
  std::string name;     ///< SIP name of the devices-api App object, e.g. "devices-api"
  std::string title;    ///< its display name (also the `dn` in the link's info.apps)
  std::string url;      ///< ws URL of the Devices instance, e.g. ws://127.0.0.1:8091/dev.example.com/devices
  std::string password; ///< that App object's password = a Devices domain password or the instance password
};

/// A PBX user who may open the app from myApps.
struct pbx_user {
  std::string sip, dn, guid;
  bool licensed = true; ///< false: the PBX marks the login `unlicensed:true` (no App(...) licence)
};

struct pbx_config {
  std::string system_name; ///< PBX domain ("System Name"), e.g. tenant1.example.com
  std::string pbx_name;    ///< "PBX Name", e.g. pbx-main
  std::string
    product_url; ///< ws URL of the product's App service, e.g. ws://127.0.0.1:8080/tenant1.example.com/myphonekeys
  std::string app_object;      ///< SIP name of our App object, e.g. myphonekeys
  std::string app_dn;          ///< its display name
  std::string app_guid;        ///< its GUID (32 hex)
  std::string app_password;    ///< its password = the secret shared with the product
  std::string app_url;         ///< http URL of the app without .htm, e.g.
                               ///< http://127.0.0.1:8080/tenant1.example.com/myphonekeys/innovaphone-myphonekeys
  bool test_mode = false;      ///< licence Test-Mode: every login carries `testmode:true`
  net::tls_client_options tls; ///< what a wss product_url is verified with
  std::vector<granted_service> services;
  std::vector<pbx_user> users;
  // Optional extras of the PBX-link login (absent in most setups, present in real captures):
  bool app_unlicensed = false; ///< the link's info carries `unlicensed:true` (as for a free app)
  std::optional<int> app_lics; ///< the link's info carries `lics` (Service licences of the App object)
};

/// The HTML name of the app: last path segment of `app_url` without query/fragment or ".htm"
/// (e.g. "innovaphone-myphonekeys"). It is the `app` of every login the PBX issues for the app.
std::string app_html_name(const pbx_config& cfg);

/// The configured user with this SIP name, or nullptr.
const pbx_user* find_user(const pbx_config& cfg, std::string_view sip);

} // namespace mpk::sim
