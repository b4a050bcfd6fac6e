// mpk-demo: the product in one process (registry, phone sessions, gateway: services/all-in-one)
// beside the simulator (PBX tenants, the Devices App, live phones, the myApps shell), wired to
// each other on 127.0.0.1, printing the URL to open. The demo of the README's first command; the
// product binaries themselves never carry the simulator.

#include "common/actors/atoms.hpp"
#include "common/base/config.hpp"
#include "common/base/log.hpp"
#include "common/base/stop_signals.hpp"
#include "services/all-in-one/product.hpp"
#include "services/gateway/gateway.hpp"
#include "sim/app/sim_runtime.hpp"
#include "sim/app/sim_tls.hpp"

#include <caf/send.hpp>

#include <iostream>

using namespace mpk;

int main(int argc, char** argv) {
  block_stop_signals();
  config::settings s("mpk-demo", "myPhoneKeys demo: the product in one process with the simulator beside it");
  allinone::declare_product_options(s, MPK_DEFAULT_MODELS_DIR, MPK_DEFAULT_WEB_DIR);
  sim::declare_sim_options(s, "sim.");
  if (auto code = config::start_from_command_line(s, argc, argv)) return *code;
  std::string msg;
  // The demo's PBXs log in with the instance password of this App Service; the built-in demo
  // passwords may be printed, a configured one never.
  if (s.get("gateway.password").empty()) s.set("gateway.password", "demo-app-password", msg);
  s.set("sim.app-password", s.get("gateway.password"), msg);
  bool demo_password = s.get("gateway.operator-password").empty();
  if (demo_password) s.set("gateway.operator-password", "demo", msg);
  s.set("sim.models-dir", s.get("gateway.models-dir"), msg);
  // --sim.tls=true: TLS from end to end. The simulator's throw-away CA issues the gateway's
  // certificate too, and the product trusts that CA (what an operator does with tls.ca-file).
  sim::sim_tls demo_tls;
  if (!demo_tls.start(s, "sim.", "127.0.0.1", msg)) {
    std::cerr << "cannot make the demo's certificates: " << msg << "\n";
    return 1;
  }
  if (demo_tls.on()) {
    s.set("gateway.tls-cert", demo_tls.product().cert_file, msg);
    s.set("gateway.tls-key", demo_tls.product().key_file, msg);
    if (s.get("tls.ca-file").empty()) s.set("tls.ca-file", demo_tls.ca_file(), msg);
    s.set("sim.tls-cert", demo_tls.cert_file(), msg);
    s.set("sim.tls-key", demo_tls.key_file(), msg);
    s.set("sim.tls-trust", demo_tls.ca_file(), msg);
  }

  int code = 0;
  auto product = allinone::product::start_or_explain(s, code);
  if (!product) return code;
  auto& gw = product->gateway();
  auto app_base = (demo_tls.on() ? "https://" : "http://") + s.get("gateway.host") + ":" + std::to_string(gw.port());
  auto admin_base = "http://" + s.get("gateway.admin-bind") + ":" + std::to_string(gw.admin_port());
  auto ws_base = (demo_tls.on() ? "wss://" : "ws://") + s.get("gateway.host") + ":" + std::to_string(gw.port());
  s.set("sim.product-url", ws_base + "/{system}/myphonekeys", msg);
  s.set("sim.app-url", app_base + "/{system}/myphonekeys/innovaphone-myphonekeys", msg);
  sim::sim_runtime simulator;
  std::string err;
  if (!simulator.start(s, err, "sim.")) {
    std::cerr << "cannot start the simulator: " << err << "\n";
    return 1;
  }
  std::cout << "\nmyPhoneKeys demo is running.\n"
            << "  Open " << simulator.http_base() << "/shell/  (the simulated myApps: pick a user)\n"
            << "  or   " << app_base << "/tenant1.example.com/myphonekeys/innovaphone-myphonekeys.htm"
            << "  (operator login: " << s.get("gateway.operator-name") << " / "
            << (demo_password ? s.get("gateway.operator-password") : std::string("<configured password>")) << ")\n"
            << "  Health: " << app_base << "/healthz   Details and metrics (this machine only): " << admin_base
            << "/healthz, " << admin_base << "/metrics\n";
  if (demo_tls.on())
    std::cout << "  TLS everywhere, from the demo CA " << demo_tls.ca_file()
              << ". Trust it in Chromium/Chrome on Linux:\n"
              << "    certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n myphonekeys-demo -i " << demo_tls.ca_file() << "\n";
  std::cout << "Stop with Ctrl+C.\n" << std::flush;
  auto phones = product->phones();
  wait_for_stop_signal([&] {
    caf::anon_send(phones, atom::wire_reload_v);
    product->reload_tls();
  });
  // The browsers are told first, then the simulator's peers go, then the services.
  gw.stop();
  simulator.stop();
  product->stop();
  MPK_INFO("main", "stopped");
  return 0;
}
