#include "common/net/tls_config.hpp"

#include "common/base/config.hpp"

#include <string>

namespace mpk::net {

void add_tls_client_options(config::settings& s, const char* used_for) {
  s.add("tls.ca-file", "", std::string("extra CA bundle for outgoing TLS (") + used_for + ")")
    .add("tls.insecure", "false", "lab switch: do not verify certificates of outgoing TLS (logged as a warning)");
}

tls_client_options tls_client_options_from(const config::settings& s) {
  return tls_client_options{s.get("tls.ca-file"), s.get_bool("tls.insecure"), ""};
}

} // namespace mpk::net
