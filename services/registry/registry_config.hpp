#pragma once
// The registry's options, declared once for every binary that runs it (mpk-allinone,
// mpk-registry): config file, MPK_* environment and flags.

#include "services/registry/registry.hpp"

namespace mpk::config {
class settings;
}

namespace mpk::registry {

/// Declares registry.* (the stale grace period of a devices-api link).
void add_registry_options(config::settings& s);

/// Fills the option-driven fields of `o` (io, tls and catalog stay the caller's). False with
/// `err` set when a value is out of range; `o` is left unchanged then.
bool apply_registry_options(const config::settings& s, registry_options& o, std::string& err);

} // namespace mpk::registry
