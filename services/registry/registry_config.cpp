#include "services/registry/registry_config.hpp"

#include "common/base/config.hpp"
#include "common/net/tls_pins.hpp"

namespace mpk::registry {

void add_registry_options(config::settings& s) {
  s.add("registry.stale-grace-ms", "2000",
        "a devices-api link down this long marks its devices stale (0 = at once); a restart that is "
        "back within it reloads without flipping every device");
  net::tls_pins::declare(s);
}

bool apply_registry_options(const config::settings& s, registry_options& o, std::string& err) {
  auto grace = s.get_int("registry.stale-grace-ms");
  // An hour bounds a typo; longer would hide a dead link from the operators for good.
  if (grace < 0 || grace > 3600000) {
    err = "registry.stale-grace-ms must be 0..3600000, not " + std::to_string(grace);
    return false;
  }
  net::tls_pins pins;
  if (!pins.load(s, err)) return false;
  o.stale_grace = std::chrono::milliseconds(grace);
  o.pins = std::move(pins);
  return true;
}

} // namespace mpk::registry
