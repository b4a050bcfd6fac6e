#include "common/node/serve_node.hpp"

#include "common/actors/await_quiet.hpp"
#include "common/base/log.hpp"
#include "common/base/stop_signals.hpp"
#include "common/net/io_runtime.hpp"
#include "common/net/server.hpp"
#include "common/node/health_endpoint.hpp"
#include "common/node/node_runtime.hpp"

#include <caf/actor_system.hpp>
#include <caf/send.hpp>

#include <iostream>

namespace mpk::cluster {

namespace {

void stop_actors(const caf::actor& supervisor, const std::vector<caf::actor>& also_stop) {
  caf::anon_send_exit(supervisor, caf::exit_reason::user_shutdown);
  for (auto& a : also_stop) caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
}

} // namespace

int serve_node(caf::actor_system& sys, net::io_runtime& io, const node_options& node, const caf::actor& supervisor,
               const char* program, const char* role, std::vector<caf::actor> also_stop,
               std::function<void()> on_hangup) {
  std::string err;
  auto port = publish(sys, supervisor, node, err);
  if (!port) {
    std::cerr << err << "\n";
    stop_actors(supervisor, also_stop);
    io.stop();
    return 1;
  }
  std::cout << program << " node on " << node.bind << ":" << *port << "\n" << std::flush;
  std::shared_ptr<net::server> health;
  if (node.health_port >= 0) {
    health =
      start_health_endpoint(sys, io, node.bind, static_cast<unsigned short>(node.health_port), role, supervisor, err);
    if (!health) {
      std::cerr << "cannot serve /healthz: " << err << "\n";
      stop_actors(supervisor, also_stop);
      io.stop();
      return 1;
    }
    std::cout << "health on http://" << node.bind << ":" << health->port() << "/healthz\n" << std::flush;
  }
  wait_for_stop_signal([&] {
    io.reload_tls_clients(); // tls.ca-file of the devices-api and passthrough links
    if (on_hangup) on_hangup();
  });
  if (health) health->stop();
  // Deadline-bound: stop the actors, wait until they have finished (they close their websockets),
  // never longer than 2 s.
  stop_actors(supervisor, also_stop);
  unpublish(sys, supervisor, *port);
  if (!await_quiet(sys, std::chrono::seconds(2))) MPK_WARN("main", "stopping with actors still running after 2 s");
  io.stop();
  sys.await_actors_before_shutdown(false);
  MPK_INFO("main", "stopped");
  return 0;
}

} // namespace mpk::cluster
