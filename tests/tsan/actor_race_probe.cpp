// A race planted on purpose, for the ThreadSanitizer run against CAF built with TSan
// (scripts/tsan.sh, by default): an actor and main write one counter without a message between
// them. That run counts for something only if TSan reports this race inside an actor's handler,
// while the message that reached the handler is not reported (CAF's mailbox is instrumented).
#include <caf/all.hpp>

#include <chrono>
#include <thread>

namespace {

int unguarded_counter = 0;

caf::behavior adder(caf::event_based_actor*) {
  return {[](int amount) { unguarded_counter += amount; }};
}

} // namespace

int main() {
  caf::actor_system_config config;
  caf::actor_system system{config};
  auto actor = system.spawn(adder);
  caf::anon_send(actor, 1);
  unguarded_counter += 2;
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
  return 0;
}
