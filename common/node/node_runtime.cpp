#include "common/node/node_runtime.hpp"

#include "common/base/log.hpp"

#include <caf/io/middleman.hpp>
#include <caf/openssl/manager.hpp>
#include <caf/openssl/publish.hpp>

namespace mpk::cluster {

bool configure_node(system_config& cfg, const node_options& o, std::string& error) {
  if (o.tls()) {
    cfg.load<caf::openssl::manager>();
    cfg.set("openssl.certificate", o.certificate);
    cfg.set("openssl.key", o.key);
    cfg.set("openssl.cafile", o.cafile);
    if (!o.passphrase.empty()) cfg.set("openssl.passphrase", o.passphrase);
    return true;
  }
  bool loopback = o.bind == "127.0.0.1" || o.bind == "::1" || o.bind == "localhost";
  if (!o.insecure && !loopback) {
    error = "node links without TLS on " + o.bind +
            ": configure node.tls.certificate/key/cafile, or set node.insecure=true for an isolated network";
    return false;
  }
  MPK_WARN("node", "WARNING: node links are unauthenticated and unencrypted (no node.tls.* certificates)",
           loopback ? " — acceptable on the loopback interface only" : " — node.insecure=true");
  return true;
}

std::optional<std::uint16_t> publish(caf::actor_system& sys, const caf::actor& service, const node_options& o,
                                     std::string& error) {
  auto port = o.tls() ? caf::openssl::publish(service, o.publish_port, o.bind.c_str(), true)
                      : sys.middleman().publish(service, o.publish_port, o.bind.c_str(), true);
  if (!port) {
    error = "cannot publish on " + o.bind + ":" + std::to_string(o.publish_port) + ": " + sys.render(port.error());
    return std::nullopt;
  }
  return *port;
}

void unpublish(caf::actor_system& sys, const caf::actor& service, std::uint16_t port) {
  if (auto r = sys.middleman().unpublish(service, port); !r)
    MPK_WARN("node", "unpublish of port ", port, ": ", sys.render(r.error()));
}

} // namespace mpk::cluster
