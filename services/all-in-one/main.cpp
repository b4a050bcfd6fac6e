// mpk-allinone: gateway, registry and phone sessions in one actor system — the embedded default.
// With --demo the simulator (PBX tenants, Devices App, live phones, myApps shell) runs in the
// same process and the URL to open is printed.

#include "common/actors/atoms.hpp"
#include "common/actors/system_config.hpp"
#include "common/base/config.hpp"
#include "common/base/log.hpp"
#include "common/base/stop_signals.hpp"
#include "common/models/model_data.hpp"
#include "common/net/io_runtime.hpp"
#include "services/gateway/gateway.hpp"
#include "common/net/tls_config.hpp"
#include "services/phone-session/src/phone_config.hpp"
#include "services/phone-session/src/phone_manager.hpp"
#include "services/registry/registry.hpp"
#include "services/registry/registry_config.hpp"
#include "sim/app/sim_runtime.hpp"

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>

#include <iostream>

using namespace mpk;

namespace {

void declare(config::settings& s) {
  gateway::add_options(s);
  s.add("demo", "false", "also run the simulator in this process and print the URL of its myApps shell")
    .add("io-threads", "2", "Asio threads (websockets, passthrough HTTP)");
  add_phone_options(s);
  registry::add_registry_options(s);
  sim::declare_sim_options(s, "sim.");
}

} // namespace

int main(int argc, char** argv) {
  block_stop_signals();

  config::settings s("mpk-allinone", "myPhoneKeys: gateway, registry and phone sessions in one process");
  declare(s);
  std::string msg;
  s.set("gateway.models-dir", MPK_DEFAULT_MODELS_DIR, msg);
  s.set("gateway.web-dir", MPK_DEFAULT_WEB_DIR, msg);
  if (auto code = config::start_from_command_line(s, argc, argv)) return *code;
  bool demo = s.get_bool("demo");
  bool demo_password = false;  // the built-in demo password may be printed; a configured one never
  if (demo) {
    // The demo's PBXs log in with the instance password of this App Service.
    if (s.get("gateway.password").empty()) s.set("gateway.password", "demo-app-password", msg);
    s.set("sim.app-password", s.get("gateway.password"), msg);
    demo_password = s.get("gateway.operator-password").empty();
    if (demo_password) s.set("gateway.operator-password", "demo", msg);
    s.set("sim.models-dir", s.get("gateway.models-dir"), msg);
  }

  std::string err;
  auto data = models::load_model_data(s.get("gateway.models-dir"), err);
  if (!data) {
    std::cerr << err << "\n";
    return 1;
  }
  registry::registry_options ro;
  if (!registry::apply_registry_options(s, ro, err)) {
    std::cerr << err << "\n";
    return 2;
  }
  auto* catalog = &data->phones;
  auto* layouts = &data->layouts;
  auto wire = wire_memory_from(s, *catalog, err);
  if (!wire) {
    std::cerr << err << "\n";
    return 1;
  }

  net::io_runtime io{static_cast<int>(std::max<std::int64_t>(1, s.get_int("io-threads")))};
  system_config cfg;
  caf::actor_system sys{cfg};
  auto tls = net::tls_client_options_from(s);

  ro.io = &io;
  ro.tls = tls;
  ro.catalog = catalog;
  auto reg = registry::spawn_registry(sys, ro);

  phone_options po;
  po.io = &io;
  po.registry = reg;
  po.catalog = catalog;
  po.wire = wire;
  apply_phone_options(s, po);
  auto phones = spawn_phone_manager(sys, po);

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
  auto app_base = "http://" + s.get("gateway.host") + ":" + std::to_string(gw->port());
  auto admin_base = "http://" + s.get("gateway.admin-bind") + ":" + std::to_string(gw->admin_port());

  std::unique_ptr<sim::sim_runtime> simulator;
  if (demo) {
    auto ws_base = "ws://" + s.get("gateway.host") + ":" + std::to_string(gw->port());
    s.set("sim.product-url", ws_base + "/{system}/myphonekeys", msg);
    s.set("sim.app-url", app_base + "/{system}/myphonekeys/innovaphone-myphonekeys", msg);
    simulator = std::make_unique<sim::sim_runtime>();
    if (!simulator->start(s, err, "sim.")) {
      std::cerr << "cannot start the simulator: " << err << "\n";
      return 1;
    }
    std::cout << "\nmyPhoneKeys demo is running.\n"
              << "  Open " << simulator->http_base() << "/shell/  (the simulated myApps: pick a user)\n"
              << "  or   " << app_base << "/tenant1.example.com/myphonekeys/innovaphone-myphonekeys.htm"
              << "  (operator login: " << s.get("gateway.operator-name") << " / "
              << (demo_password ? s.get("gateway.operator-password") : std::string("<configured password>")) << ")\n"
              << "  Health: " << app_base << "/healthz   Details and metrics (this machine only): " << admin_base
              << "/healthz, " << admin_base << "/metrics\n"
              << "Stop with Ctrl+C.\n"
              << std::flush;
  } else {
    std::cout << "myPhoneKeys App Service on " << app_base << "/<domain>/<instance>/innovaphone-myphonekeys.htm\n" << std::flush;
  }

  wait_for_stop_signal([phones] { caf::anon_send(phones, atom::wire_reload_v); });
  // Deadline-bound shutdown: tell the browsers, stop the services, never hang on exit.
  gw->stop();
  if (simulator) simulator->stop();
  caf::anon_send_exit(phones, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(reg, caf::exit_reason::user_shutdown);
  if (!gw->drain(std::chrono::seconds(2))) MPK_WARN("main", "stopping with connections or actors still open after 2 s");
  gw.reset();
  io.stop();
  sys.await_actors_before_shutdown(false);
  MPK_INFO("main", "stopped");
  return 0;
}
