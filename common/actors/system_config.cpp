#include "common/actors/system_config.hpp"

#include "common/actors/atoms.hpp"

#include <caf/io/middleman.hpp>

#include <chrono>

namespace mpk {

system_config::system_config(bool with_middleman) {
  add_message_types<caf::id_block::mpk>();
  if (with_middleman) {
    load<caf::io::middleman>();
    set("middleman.heartbeat-interval", caf::timespan{std::chrono::milliseconds(500)});
    set("middleman.connection-timeout", caf::timespan{std::chrono::seconds(2)});
    set("middleman.app-identifiers", std::vector<std::string>{"myphonekeys"});
  }
  // CAF's work-stealing workers poll for 500 rounds 50 us apart (25 ms) before they wait on
  // their condition variable. A node that gets a message every few ms (phone sessions polling
  // LCDs) then never waits: its idle workers woke 20,000 times a second each, measured as
  // 30 % of the phone-session node's CPU for 100 watched phones (perf: clock_nanosleep).
  // Without the moderate phase a worker spins briefly, then waits until work is enqueued.
  set("work-stealing.moderate-poll-attempts", std::size_t{0});
  // Our own logger writes every line; CAF's is compiled out in Debian's build anyway.
  set("logger.console", caf::atom("none"));
}

} // namespace mpk
