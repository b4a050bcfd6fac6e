#pragma once
/// The AppLogin digest (docs/spec/appwebsocket.md §2.3): computed by clients, verified by our services.

#include "common/crypto/info_json.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace mpk::crypto {

/// The hashed AppLogin fields. `pbxObj` is deliberately absent: it is not part of the digest.
struct login_fields {
  std::string app, domain, sip, guid, dn;
  std::optional<std::string> info; ///< compact JSON text; nullopt (or "") = no info
};

/// hex(SHA256(app:domain:sip:guid:dn[:info]:challenge:password)), 64 lowercase hex.
/// `info` is hashed exactly as given; an empty text counts as absent (like the SDK tutorial).
std::string login_digest(const login_fields& f, std::string_view challenge, std::string_view password);

/// Server-side check per docs/spec/appwebsocket.md §2.3 "robust recipe": accept if the digest matches
/// with compact(raw info) or canonical(raw info); raw_info nullopt or "" (empty text, or the JSON string `""`) =
/// without info. `f_without_info.info` is ignored. Constant-time, case-insensitive compare.
bool verify_login_digest(const login_fields& f_without_info, const std::optional<std::string>& raw_info,
                         std::string_view challenge, std::string_view password, std::string_view digest);

/// AppCheckLogin (docs/spec/appwebsocket.md §2.7): the PBX Manager tests an App object password with
/// `{app, domain, challenge, digest}`. The digest form is not published; read as the AppLogin
/// digest of that app with sip, guid and dn empty and no info — `app:domain::::challenge:password`,
/// which with an empty domain is the published vector A1 ([inf], docs/app-protocol.md §1.3).
/// Also accepted without the domain, for a PBX Manager that leaves it out of the hash.
bool verify_check_login_digest(std::string_view app, std::string_view domain, std::string_view challenge,
                               std::string_view password, std::string_view digest);

} // namespace mpk::crypto
