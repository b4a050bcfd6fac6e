#include "services/gateway/admin_ui/relay_options.hpp"

#include "common/base/config.hpp"
#include "common/net/tls_config.hpp"

namespace mpk::gateway {

namespace {
constexpr std::string_view password_prefix = "phone.admin-password.";
}

void add_admin_ui_options(config::settings& s) {
  net::add_tls_client_options(s, "devices-api, passthrough, admin-UI relay");
  s.add("phone.admin-ui-idle-minutes", "15", "an admin-UI relay session without a request for this long ends (1..1440)")
    .add(
      "phone.admin-ui-grace-ms", "10000",
      "an admin-UI relay session ends this long after the app's websocket closed, unless the app came back (0..600000)")
    .add("phone.admin-ui-max-upload", "67108864",
         "largest upload (firmware, configuration) through the admin-UI relay, bytes")
    .add("phone.admin-ui-timeout-ms", "30000", "per network step of an admin-UI request (connect, each read or write)")
    .add("phone.admin-ui-inject-credentials", "false",
         "answer the phone's login challenge with the admin password its Devices domain deploys (docs/security.md)")
    .add("phone.admin-ui-user", "admin", "user name for injected admin-UI credentials")
    .add(std::string(password_prefix), "",
         "per Devices domain: phone.admin-password.<domain> = the admin password that domain deploys to its phones",
         true);
}

void admin_ui_options_from(const config::settings& s, admin_ui_options& o) {
  o.idle = std::chrono::minutes(s.get_int("phone.admin-ui-idle-minutes"));
  o.grace = std::chrono::milliseconds(s.get_int("phone.admin-ui-grace-ms"));
  auto upload = s.get_int("phone.admin-ui-max-upload");
  o.max_upload = upload < 0 ? 0 : static_cast<std::uint64_t>(upload);
  o.timeout = std::chrono::milliseconds(s.get_int("phone.admin-ui-timeout-ms"));
  o.tls = net::tls_client_options_from(s);
  o.inject_credentials = s.get_bool("phone.admin-ui-inject-credentials");
  o.user = s.get("phone.admin-ui-user");
  for (auto& [key, value] : s.with_prefix(password_prefix))
    if (key.size() > password_prefix.size()) o.passwords[key.substr(password_prefix.size())] = value;
}

bool check_admin_ui_options(const admin_ui_options& o, std::string& error) {
  using namespace std::chrono;
  if (o.idle < minutes(1) || o.idle > minutes(1440))
    error = "phone.admin-ui-idle-minutes must be 1..1440";
  else if (o.grace < milliseconds(0) || o.grace > milliseconds(600000))
    error = "phone.admin-ui-grace-ms must be 0..600000";
  else if (o.timeout < milliseconds(100) || o.timeout > milliseconds(600000))
    error = "phone.admin-ui-timeout-ms must be 100..600000";
  else if (o.inject_credentials && o.user.empty())
    error = "phone.admin-ui-user must not be empty with injected credentials";
  return error.empty();
}

} // namespace mpk::gateway
