#pragma once
/// The logins a PBX computes (docs/spec/appwebsocket.md §2.3, §3, §4, §5.2): the `info` texts in the PBX's
/// member order, the link's own AppLogin, GetServiceLoginResult and AppGetLoginResult.
/// Pure logic: text in, text out (salts are passed in, so results are reproducible).

#include "common/json/writer.hpp"
#include "sim/pbx/pbx_config.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace mpk::sim {

/// info of the PBX link's AppLogin, compact, in the order of the real captures (vectors B1/B2):
/// {"appobj","appdn","appurl","pbx","cn","unlicensed"?,"testmode"?,"lics"?,"apps":[{"name","dn"}...]}.
std::string link_info(const pbx_config& cfg);

/// The PBX link's AppLogin frame for the challenge the product sent (no pbxObj, as a real PBX).
std::string link_app_login(const pbx_config& cfg, std::string_view challenge);

/// info of a user login (vectors B3/B4):
/// {"appobj","appdn","appurl","pbx","cn","unlicensed"?,"testmode"?,"groups":[],"apps":[]}.
std::string user_info(const pbx_config& cfg, const pbx_user& user);

/// A login the PBX issued, or why it did not.
struct issued_login {
  std::string json;  ///< complete JSON object (with "mt"), success or error
  std::string error; ///< "" on success, else the error code that is also in `json`
};

/// AppGetLoginResult as myApps gets it (docs/spec/appwebsocket.md §5.2 step 3), for `app` = our App object name (the
/// getLogin `app` of the frame) or the HTML name. The digest uses the App object password, `key` is
/// session_key(challenge, app_password) in clear (as the frame needs it); `salt` is `salt`.
/// Errors: "unknown user", "unknown app", "bad challenge".
issued_login app_get_login_result(const pbx_config& cfg, std::string_view user_sip, std::string_view app,
                                  std::string_view challenge, std::string_view salt);

/// Why a GetServiceLogin cannot be answered.
struct service_login_error {
  std::string error;      ///< "unknown service", "bad challenge"
  std::string error_text; ///< plain words for errorText
};

/// Writes the members of GetServiceLoginResult after mt/api/src (docs/spec/appwebsocket.md §4 steps 4-6) into the open
/// object of `w`: domain, sip, guid, dn, pbxObj, app, info, digest, salt, key. The digest uses the
/// service's password; `key` = encrypt(salt, session_key(challenge, service password), link_session_key).
/// On error writes nothing and returns why.
std::optional<service_login_error> write_service_login(json::json_writer& w, const pbx_config& cfg,
                                                       std::string_view service_name, std::string_view challenge,
                                                       std::string_view link_session_key, std::string_view salt);

/// A challenge a PBX accepts: 1..64 printable ASCII characters (docs/spec/appwebsocket.md §2.1
/// allows 16; be lenient, never empty).
bool acceptable_challenge(std::string_view challenge);

} // namespace mpk::sim
