#include "services/gateway/tenant_secrets.hpp"

#include <simdjson.h>

#include <set>

namespace mpk::gateway {

std::string check_tenant_secrets(const gateway_options& o, std::vector<std::string>& warnings) {
  if (o.require_tenant_passwords) {
    if (!o.password.empty())
      return "gateway.require-tenant-passwords is set, but so is gateway.password, which every tenant could log in "
             "with: remove it and give each PBX its own tenant.<domain>.password";
    if (o.domain_passwords.empty())
      return "gateway.require-tenant-passwords is set, but no tenant.<domain>.password is configured: no PBX could "
             "log in";
    return {};
  }
  if (!o.password.empty() && !o.domain_passwords.empty())
    warnings.push_back(
      "PBXs without their own tenant.<domain>.password log in with the shared gateway.password; "
      "each of their administrators knows the others' secret (docs/security.md)");
  return {};
}

std::vector<std::string> shared_password_warnings(const std::string& pbx_status_json) {
  std::vector<std::string> out;
  if (pbx_status_json.empty()) return out;
  simdjson::dom::parser parser;
  simdjson::dom::array pbx;
  if (parser.parse(pbx_status_json).get(pbx)) return out;
  std::set<std::string> shared;
  for (auto e : pbx) {
    bool on_shared = false;
    std::string_view tenant;
    if (!e["sharedPassword"].get(on_shared) && on_shared && !e["tenant"].get(tenant)) shared.emplace(tenant);
  }
  if (shared.size() < 2) return out;
  std::string names;
  for (const auto& t : shared) names += (names.empty() ? "" : ", ") + t;
  out.push_back(std::to_string(shared.size()) + " tenants log in with the one shared App object password (" + names +
                "): give each its own tenant.<domain>.password, so that one PBX's administrator cannot log in as "
                "another's (docs/security.md)");
  return out;
}

} // namespace mpk::gateway
