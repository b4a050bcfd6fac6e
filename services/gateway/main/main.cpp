// mpk-gateway: the gateway as its own process: PBX links, browsers, web app, /healthz. Reaches
// the registry node through a reconnecting proxy (PBX links re-announced, device lists
// re-subscribed) and the phone-session nodes through a router that shards phones by device id.
// Browsers stay connected while registry or phone-session processes restart.

#include "common/base/config.hpp"
#include "common/base/heap_trimmer.hpp"
#include "common/base/stop_signals.hpp"
#include "common/base/log.hpp"
#include "common/models/model_data.hpp"
#include "common/net/io_runtime.hpp"
#include "common/node/node_runtime.hpp"
#include "common/node/phone_router.hpp"
#include "common/node/registry_proxy.hpp"
#include "services/gateway/gateway.hpp"

#include <caf/actor_system.hpp>
#include <caf/send.hpp>

#include <iostream>

using namespace mpk;

int main(int argc, char** argv) {
  block_stop_signals();
  config::settings s("mpk-gateway", "myPhoneKeys gateway: PBX links, browser sessions, web app (one process)");
  gateway::add_options(s);
  cluster::add_node_options(s);
  add_heap_trim_option(s);
  s.add("io-threads", "2", "Asio threads (websockets)");
  std::string msg;
  s.set("gateway.models-dir", MPK_DEFAULT_MODELS_DIR, msg);
  s.set("gateway.web-dir", MPK_DEFAULT_WEB_DIR, msg);
  if (auto code = config::start_from_command_line(s, argc, argv)) return *code;
  heap_trimmer trimmer{heap_trim_interval(s)};
  std::string err;
  auto node = cluster::node_options_from(s, err);
  if (node && (node->registry_peers.empty() || node->phone_peers.empty()))
    err = "node.registry and node.phones (host:port of the registry and phone-session nodes) are required";
  system_config cfg{true};
  if (!node || node->registry_peers.empty() || node->phone_peers.empty() || !cluster::configure_node(cfg, *node, err)) {
    std::cerr << err << "\n";
    return 2;
  }
  auto data = models::load_model_data(s.get("gateway.models-dir"), err);
  if (!data) {
    std::cerr << err << "\n";
    return 1;
  }
  auto* catalog = &data->phones;
  auto* layouts = &data->layouts;
  net::io_runtime io{static_cast<int>(std::max<std::int64_t>(1, s.get_int("io-threads")))};
  caf::actor_system sys{cfg};
  auto reg = cluster::spawn_registry_proxy(sys, node->registry_peers);
  auto phones = cluster::spawn_phone_router(sys, node->phone_peers);
  auto gw = gateway::gateway::start(sys, io, gateway::options_from(s), catalog, layouts, err);
  if (!gw) {
    std::cerr << err << "\n";
    caf::anon_send_exit(reg, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(phones, caf::exit_reason::user_shutdown);
    io.stop();
    return 1;
  }
  gw->context().services.set_registry(reg);
  gw->context().services.set_phones(phones);
  std::cout << "myPhoneKeys gateway on " << (s.get("gateway.tls-cert").empty() ? "http://" : "https://")
            << s.get("gateway.host") << ":" << gw->port() << "/<domain>/<instance>/innovaphone-myphonekeys.htm\n"
            << std::flush;
  wait_for_stop_signal([&] {
    gw->reload_tls();
    io.reload_tls_clients();
  });
  // Deadline-bound: tell the browsers, close the links, never hang on exit.
  gw->stop();
  caf::anon_send_exit(phones, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(reg, caf::exit_reason::user_shutdown);
  if (!gw->drain(std::chrono::seconds(2))) MPK_WARN("main", "stopping with connections or actors still open after 2 s");
  gw.reset();
  io.stop();
  sys.await_actors_before_shutdown(false);
  MPK_INFO("main", "stopped");
  return 0;
}
