#pragma once
// The phone sessions' options, declared once for every binary that runs them
// (mpk-allinone, mpk-phone-session).

#include "services/phone-session/src/phone_options.hpp"

namespace mpk::config { class settings; }

namespace mpk {

/// Declares phone.* (poll interval, request timeout, grace, audit log) and the outgoing TLS options.
void add_phone_options(config::settings& s);

/// Fills the option-driven fields of `o` (io, registry and catalog stay the caller's).
void apply_phone_options(const config::settings& s, phone_options& o);

} // namespace mpk
