// mpk-registry: the registry service as its own process. Publishes a supervisor around the
// registry actor on the node port; gateways and phone-session nodes connect to it. After a
// restart the state is rebuilt from the devices-api: the gateways re-announce their PBX links.

#include "common/base/config.hpp"
#include "common/base/heap_trimmer.hpp"
#include "common/base/heap_tuning.hpp"
#include "common/base/stop_signals.hpp"
#include "common/net/tls_config.hpp"
#include "common/base/log.hpp"
#include "common/net/io_runtime.hpp"
#include "common/node/node_runtime.hpp"
#include "common/node/serve_node.hpp"
#include "common/node/supervisor.hpp"
#include "services/registry/registry.hpp"
#include "services/registry/registry_config.hpp"

#include <caf/actor_system.hpp>

#include <iostream>

using namespace mpk;

int main(int argc, char** argv) {
  tune_heap_for_registry(); // before any thread starts
  block_stop_signals();
  config::settings s("mpk-registry", "myPhoneKeys registry: devices of every PBX from the devices-api (one process)");
  cluster::add_node_options(s);
  add_heap_trim_option(s);
  s.add("io-threads", "2", "Asio threads (devices-api websockets)");
  net::add_tls_client_options(s, "devices-api");
  registry::add_registry_options(s);
  if (auto code = config::start_from_command_line(s, argc, argv)) return *code;
  heap_trimmer trimmer{heap_trim_interval(s)};
  std::string err;
  registry::registry_options ro;
  if (!registry::apply_registry_options(s, ro, err)) {
    std::cerr << err << "\n";
    return 2;
  }
  auto node = cluster::node_options_from(s, err);
  system_config cfg{true};
  if (!node || !cluster::configure_node(cfg, *node, err)) {
    std::cerr << err << "\n";
    return 2;
  }
  net::io_runtime io{static_cast<int>(std::max<std::int64_t>(1, s.get_int("io-threads")))};
  caf::actor_system sys{cfg};
  ro.io = &io;
  ro.tls = net::tls_client_options_from(s);
  auto sup = cluster::spawn_supervisor(sys, "registry", [ro](caf::actor_system& sys) {
    // The supervisor and the node link forward any message: they hold the registry untyped.
    return caf::actor_cast<caf::actor>(registry::spawn_registry(sys, ro));
  });
  return cluster::serve_node(sys, io, *node, sup, "mpk-registry", "registry");
}
