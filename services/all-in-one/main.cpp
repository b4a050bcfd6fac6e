// mpk-allinone: gateway, registry and phone sessions in one actor system — the embedded default
// of a real site. The product alone: the demo with the simulator is a program of the simulator
// side (sim/demo, mpk-demo).

#include "common/actors/atoms.hpp"
#include "common/base/config.hpp"
#include "common/base/heap_trimmer.hpp"
#include "common/base/log.hpp"
#include "common/base/stop_signals.hpp"
#include "services/all-in-one/product.hpp"
#include "services/gateway/gateway.hpp"

#include <caf/send.hpp>

#include <iostream>

using namespace mpk;

int main(int argc, char** argv) {
  block_stop_signals();
  config::settings s("mpk-allinone", "myPhoneKeys: gateway, registry and phone sessions in one process");
  allinone::declare_product_options(s, MPK_DEFAULT_MODELS_DIR, MPK_DEFAULT_WEB_DIR);
  add_heap_trim_option(s);
  if (auto code = config::start_from_command_line(s, argc, argv)) return *code;
  heap_trimmer trimmer{heap_trim_interval(s)};

  int code = 0;
  auto product = allinone::product::start_or_explain(s, code);
  if (!product) return code;
  auto& gw = product->gateway();
  auto scheme = s.get("gateway.tls-cert").empty() ? "http://" : "https://";
  std::cout << "myPhoneKeys App Service on " << scheme << s.get("gateway.host") << ":" << gw.port()
            << "/<domain>/<instance>/innovaphone-myphonekeys.htm\n"
            << "  Health: " << scheme << s.get("gateway.host") << ":" << gw.port() << "/healthz"
            << "   Details and metrics (admin listener): http://" << s.get("gateway.admin-bind") << ":"
            << gw.admin_port() << "/healthz, /metrics\n"
            << std::flush;
  auto phones = product->phones();
  wait_for_stop_signal([&] {
    caf::anon_send(phones, atom::wire_reload_v);
    product->reload_tls();
  });
  product->stop();
  MPK_INFO("main", "stopped");
  return 0;
}
