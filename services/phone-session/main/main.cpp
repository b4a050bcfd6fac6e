// mpk-phone-session: phone sessions as their own process (one of several: the gateways spread
// phones over the nodes by device id). Publishes a supervisor around the phone manager; reaches
// the registry through a reconnecting proxy that re-announces the sessions' target watches.

#include "common/actors/atoms.hpp"
#include "common/base/config.hpp"
#include "common/base/heap_trimmer.hpp"
#include "common/base/stop_signals.hpp"
#include "common/base/log.hpp"
#include "common/models/catalog.hpp"
#include "common/net/io_runtime.hpp"
#include "common/node/node_runtime.hpp"
#include "common/node/registry_proxy.hpp"
#include "common/node/serve_node.hpp"
#include "common/node/supervisor.hpp"
#include "services/phone-session/src/phone_config.hpp"
#include "services/phone-session/src/phone_manager.hpp"

#include <caf/actor_system.hpp>
#include <caf/send.hpp>

#include <iostream>

using namespace mpk;

int main(int argc, char** argv) {
  block_stop_signals();
  config::settings s("mpk-phone-session",
                     "myPhoneKeys phone sessions: LCD, keys and commands of watched phones (one process)");
  cluster::add_node_options(s);
  add_heap_trim_option(s);
  s.add("io-threads", "2", "Asio threads (passthrough HTTP)")
    .add("models-dir", MPK_DEFAULT_MODELS_DIR, "model data (phones, LCD layouts)");
  add_phone_options(s);
  if (auto code = config::start_from_command_line(s, argc, argv)) return *code;
  heap_trimmer trimmer{heap_trim_interval(s)};
  std::string err;
  auto node = cluster::node_options_from(s, err);
  if (node && node->registry_peers.empty()) err = "node.registry (host:port of the registry node) is required";
  system_config cfg{true};
  if (!node || node->registry_peers.empty() || !cluster::configure_node(cfg, *node, err)) {
    std::cerr << err << "\n";
    return 2;
  }
  auto catalog = models::catalog::load(s.get("models-dir"), err);
  if (!catalog) {
    std::cerr << "cannot load the model data: " << err << "\n";
    return 1;
  }
  auto wire = wire_memory_from(s, *catalog, err);
  if (!wire) {
    std::cerr << err << "\n";
    return 1;
  }
  net::io_runtime io{static_cast<int>(std::max<std::int64_t>(1, s.get_int("io-threads")))};
  caf::actor_system sys{cfg};
  auto reg = cluster::spawn_registry_proxy(sys, node->registry_peers);
  phone_options po;
  po.io = &io;
  po.registry = reg;
  po.catalog = &*catalog;
  po.wire = wire;
  apply_phone_options(s, po);
  auto sup = cluster::spawn_supervisor(
    sys, "phones", [po](caf::actor_system& sys) { return caf::actor_cast<caf::actor>(spawn_phone_manager(sys, po)); });
  return cluster::serve_node(sys, io, *node, sup, "mpk-phone-session", "phones", {caf::actor_cast<caf::actor>(reg)},
                             [sup] { caf::anon_send(sup, atom::wire_reload_v); });
}
