// An actor that monitored a longer-lived one and ended leaves nothing behind in it.
#include "common/actors/monitor_while_alive.hpp"
#include "common/actors/system_config.hpp"

#include <caf/actor_control_block.hpp>
#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

using namespace mpk;

namespace {

caf::behavior long_lived(caf::event_based_actor*) {
  return {[](int) {}};
}

/// Monitors `observed` (with the helper or plainly) and ends on its first message.
caf::behavior short_lived(caf::event_based_actor* self, caf::actor observed, bool helper) {
  self->set_down_handler([](caf::down_msg&) {});
  if (helper)
    monitor_while_alive(self, observed);
  else
    self->monitor(observed);
  return {[=](int) { self->quit(); }};
}

/// The weak references left on the ended actor at `addr` once the count stops falling (5 s at most):
/// ours, plus whatever still points to it.
std::size_t weak_refs_left(const caf::actor_addr& addr) {
  auto* block = caf::actor_cast<caf::actor_control_block*>(addr);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (block->weak_refs.load() > 1 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return block->weak_refs.load();
}

/// Ends the short-lived actor `s` (its first message) and waits for its end; its address.
caf::actor_addr end_short_lived(caf::actor_system& sys, caf::actor s) {
  caf::actor_addr addr = s.address();
  caf::scoped_actor waiter{sys};
  waiter->monitor(s);
  waiter->send(s, 1);
  s = nullptr;
  bool ended = false;
  waiter->receive([&](const caf::down_msg&) { ended = true; }, caf::after(std::chrono::seconds(10)) >> [] {});
  REQUIRE(ended);
  return addr;
}

/// Runs one short-lived actor to its end; the weak references left on it.
std::size_t run_one(caf::actor_system& sys, const caf::actor& observed, bool helper) {
  return weak_refs_left(end_short_lived(sys, sys.spawn(short_lived, observed, helper)));
}

} // namespace

TEST_CASE("an ended observer leaves no reference in the actor it monitored", "[actors][monitor]") {
  system_config cfg;
  caf::actor_system sys{cfg};
  auto manager = sys.spawn(long_lived);
  // CAF's plain monitor: the long-lived actor keeps a weak reference to the ended one, and with
  // it the ended actor's whole allocation (the trap the helper is for).
  CHECK(run_one(sys, manager, false) == 2);
  // With the helper only our own address is left.
  CHECK(run_one(sys, manager, true) == 1);
  caf::anon_send_exit(manager, caf::exit_reason::user_shutdown);
}

TEST_CASE("an observer that outlives what it monitored ends cleanly", "[actors][monitor]") {
  system_config cfg;
  caf::actor_system sys{cfg};
  auto gone = sys.spawn(long_lived);
  auto s = sys.spawn(short_lived, gone, true);
  {
    caf::scoped_actor waiter{sys};
    waiter->monitor(gone);
    caf::anon_send_exit(gone, caf::exit_reason::user_shutdown);
    waiter->receive([](const caf::down_msg&) {});
    gone = nullptr;
  }
  CHECK(weak_refs_left(end_short_lived(sys, std::move(s))) == 1);
}
