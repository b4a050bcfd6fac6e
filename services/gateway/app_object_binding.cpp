#include "services/gateway/app_object_binding.hpp"

#include "common/http/url.hpp"

#include <cctype>
#include <vector>

namespace mpk::gateway {

namespace {

/// "/<domain>/<instance>" of an App URL or a websocket target; the App's HTML name at the end
/// (`innovaphone-myphonekeys`) is dropped. Empty if there are fewer than two segments.
std::string instance_path(std::string_view path) {
  auto s = http::path_segments(path);
  if (!s.empty() && s.back() == "innovaphone-myphonekeys") s.pop_back();
  if (s.size() < 2) return {};
  return "/" + std::string(s[s.size() - 2]) + "/" + std::string(s.back());
}

/// The path of a URL ("http://host:port/a/b" → "/a/b"); "" if it has none.
std::string_view url_path(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return url.substr(0, 1) == "/" ? url : std::string_view{};
  auto slash = url.find('/', scheme + 3);
  return slash == std::string_view::npos ? std::string_view{} : url.substr(slash);
}

} // namespace

bool same_domain_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

std::string url_tenant(std::string_view target) {
  const std::string path = instance_path(target);
  auto parts = http::path_segments(path);
  return parts.empty() ? std::string() : std::string(parts.front());
}

const std::pair<const std::string, std::string>* find_tenant(const std::map<std::string, std::string>& tenants,
                                                             std::string_view name) {
  for (const auto& entry : tenants)
    if (same_domain_name(entry.first, name)) return &entry;
  return nullptr;
}

std::string app_object_mismatch(const app_object_claim& c, const std::map<std::string, std::string>& tenants) {
  // pbxObj is outside the digest: it must agree with the object the PBX signed for.
  if (c.appobj && !c.pbx_obj.empty() && c.pbx_obj != *c.appobj)
    return "pbxObj '" + std::string(c.pbx_obj) + "' is not the App object '" + std::string(*c.appobj) +
           "' this login was issued for";
  const std::string here = instance_path(c.target);
  if (c.appurl && !here.empty()) {
    const std::string issued_for = instance_path(url_path(*c.appurl));
    if (!issued_for.empty() && !same_domain_name(issued_for, here))
      return "this login was issued for the App object at " + issued_for + ", not for " + here;
  }
  // The URL of a tenant's App object is /<tenant domain>/<instance>: only that PBX's users log in there.
  auto parts = http::path_segments(here);
  if (!parts.empty() && !same_domain_name(parts.front(), c.domain))
    for (const auto& [tenant, password] : tenants)
      if (same_domain_name(tenant, parts.front()))
        return "this is the App object of " + tenant + ", the login came through " + std::string(c.domain);
  return {};
}

} // namespace mpk::gateway
