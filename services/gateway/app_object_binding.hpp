#pragma once
// A myApps user login is issued by a PBX for one App object (docs/spec/appwebsocket.md §5.2): its `info`
// (covered by the digest) names that object (`appobj`) and its URL (`appurl`). A login is only
// good at that App object: presented at another tenant's App object URL, or with a `pbxObj` (not
// covered by the digest) that names another object, it is refused before any session exists.

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace mpk::gateway {

struct app_object_claim {
  std::string_view target;                ///< the connection's upgrade target, e.g. "/t1.example.com/mpk"
  std::string_view domain;                ///< AppLogin `domain`: the PBX the login came through
  std::string_view pbx_obj;               ///< AppLogin `pbxObj`
  std::optional<std::string_view> appobj; ///< info.appobj
  std::optional<std::string_view> appurl; ///< info.appurl
};

/// Why the login does not belong to the App object it was presented to, in plain words; "" if it
/// does. `tenants`: the PBX domains with their own App object password (`tenant.<domain>.password`):
/// an App object URL `/<tenant>/…` belongs to that tenant only.
std::string app_object_mismatch(const app_object_claim& c, const std::map<std::string, std::string>& tenants);

/// The tenant an App object URL or a websocket target belongs to: `<domain>` of
/// `/<domain>/<instance>[/innovaphone-myphonekeys]`; "" if the path has fewer than two segments.
std::string url_tenant(std::string_view target);

/// Host and domain names compare case-insensitively.
bool same_domain_name(std::string_view a, std::string_view b);

/// The entry of `tenants` whose domain is `name` (case-insensitively); nullptr if none.
const std::pair<const std::string, std::string>* find_tenant(const std::map<std::string, std::string>& tenants,
                                                             std::string_view name);

} // namespace mpk::gateway
