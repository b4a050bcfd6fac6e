#pragma once
// The outgoing-TLS options every binary that connects out shares (tls.ca-file, tls.insecure).

#include "common/net/connection.hpp"

namespace mpk::config {
class settings;
}

namespace mpk::net {

/// Declares tls.ca-file and tls.insecure; `used_for` names the links in the help text.
void add_tls_client_options(config::settings& s, const char* used_for);
tls_client_options tls_client_options_from(const config::settings& s);

} // namespace mpk::net
