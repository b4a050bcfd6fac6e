#pragma once
// The phone sessions' options, declared once for every binary that runs them
// (mpk-allinone, mpk-phone-session).

#include "services/phone-session/src/phone_options.hpp"

#include <memory>
#include <string>

namespace mpk::config {
class settings;
}
namespace mpk::models {
class catalog;
}

namespace mpk {

/// Declares phone.* (poll interval, request timeout, grace, audit log) and the outgoing TLS options.
void add_phone_options(config::settings& s);

/// Fills the option-driven fields of `o` (io, registry and catalog stay the caller's).
void apply_phone_options(const config::settings& s, phone_options& o);

/// The node's wire memory: the catalog's data with phone.wire-file merged over it. nullptr and
/// `error` naming the file and entry when the file is bad (a node does not start with it).
std::shared_ptr<session::wire_memory> wire_memory_from(const config::settings& s, const models::catalog& c,
                                                       std::string& error);

} // namespace mpk
