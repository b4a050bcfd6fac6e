// The phone router (gateway side) in one process, without phone-session nodes: what it keeps of
// the browsers that watch through it.
#include "common/actors/interfaces.hpp"
#include "common/actors/system_config.hpp"
#include "common/node/phone_router.hpp"

#include <caf/actor_control_block.hpp>
#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <string>

using namespace mpk;
using namespace std::chrono_literals;

namespace {

phone_watcher_actor::behavior_type quiet_watcher() {
  return {
    [](const phone_event&) {},
    [](const lcd_frame&) {},
    [](atom::retry, const std::string&) {},
  };
}

} // namespace

TEST_CASE("phone router: a browser that switches phones keeps one monitor and not one per switch") {
  // One browser session watches 50 phones one after the other. The router monitors a watcher
  // while it watches something here; each monitor holds the router's address in the watcher,
  // so the router's weak references count them.
  system_config cfg;
  caf::actor_system sys{cfg};
  auto router = cluster::spawn_phone_router(sys, {});
  auto watcher = sys.spawn(quiet_watcher);
  caf::scoped_actor self{sys};
  auto* block = caf::actor_cast<caf::actor_control_block*>(router);
  auto settle = [&] { // the router has handled everything sent before
    self->request(router, 5s, atom::status_v).receive([](std::string&) {}, [](caf::error&) {});
  };
  settle();
  const auto before = block->weak_refs.load();
  for (int i = 0; i < 50; ++i) {
    auto device = "tenant1.example.com/devices-api:1/phone" + std::to_string(i);
    // No phone-session node is up: the watch fails, but the router has taken the watcher in.
    self->request(router, 5s, atom::watch_v, device, std::vector<std::string>{}, watcher)
      .receive([](phone_target&) {}, [](caf::error&) {});
    self->send(router, atom::unwatch_v, device, watcher);
  }
  settle();
  INFO("router's weak references before " << before << ", after " << block->weak_refs.load());
  CHECK(block->weak_refs.load() <= before);
  self->send_exit(watcher, caf::exit_reason::user_shutdown);
  self->send_exit(router, caf::exit_reason::user_shutdown);
}
