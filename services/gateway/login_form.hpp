#pragma once
// What an AppLogin is, decided by what signs it (docs/app-protocol.md §1.1):
//
//  - a PBX link: `info` (covered by the digest), no `pbxObj`, and `sip` is the App object that
//    logs in (`info.appobj`) — as a PBX sends it after AppChallenge (docs/spec/appwebsocket.md §3);
//  - a PBX-issued user login (myApps `getLogin`): `info` and `pbxObj`;
//  - a password login (the SDK's Connection.js with a password, or our standalone page): no
//    `info`, `app == sip`, a guid of 32 zeros, `pbxObj` absent or the same name (Connection.js
//    adds `pbxObj: <app>` to every AppLogin, docs/spec/appwebsocket.md §5.3).
//
// `pbxObj` alone never decides: it is outside the digest, so anyone can add or drop it.

#include "common/json/envelope.hpp"

#include <optional>
#include <string>

namespace mpk::gateway {

enum class login_form { pbx_link, pbx_user, password };

/// The fields of one AppLogin, copied out of the frame.
struct applogin_fields {
  std::string app, domain, sip, guid, dn, pbx_obj, digest;
  std::optional<std::string> info; ///< raw JSON text of `info` as it stood in the frame
  std::string appobj, appurl;      ///< info.appobj, info.appurl ("" when absent)
  bool has_appobj = false, has_appurl = false;
  bool unlicensed = false, test_mode = false;
  std::string pbx;                  ///< info.pbx
  std::optional<std::int64_t> lics; ///< info.lics: Service licences of the App object (PBX link)
};

/// A classified AppLogin, or why it is none of the three forms (plain words for errorText).
struct classified_login {
  std::optional<login_form> form;
  std::string error;
  applogin_fields fields;
};

/// Reads and classifies an AppLogin frame. Never throws; malformed members give `error`.
classified_login classify_login(const json::envelope& env);

/// "PBX link", "myApps user login", "password login" — for logs.
const char* describe(login_form f);

} // namespace mpk::gateway
