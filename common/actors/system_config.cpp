#include "common/actors/system_config.hpp"

#include "common/actors/atoms.hpp"
#include "common/actors/interfaces.hpp"

#include <caf/io/middleman.hpp>

#include <algorithm>
#include <chrono>
#include <thread>

namespace mpk {

system_config::system_config(bool with_middleman) {
  add_message_types<caf::id_block::mpk>();
  add_message_types<caf::id_block::mpk_handles>();
  if (with_middleman) {
    load<caf::io::middleman>();
    set("middleman.heartbeat-interval", caf::timespan{std::chrono::milliseconds(500)});
    set("middleman.connection-timeout", caf::timespan{std::chrono::seconds(2)});
    set("middleman.app-identifiers", std::vector<std::string>{"myphonekeys"});
  }
  // Our own logger writes every line; CAF's is compiled out in Debian's build anyway.
  set("logger.console", caf::atom("none"));
  // CAF's workers poll 100 times, then 500 times 50 µs apart, before they wait on their condition
  // variable. Our actors get a message every few ms, so the workers never waited: on 2 cores they
  // spent ~0.3 core in nanosleep/steal loops, taken from the network thread (docs/performance.md).
  // Without the 50 µs phase a worker waits as soon as the quick polls find nothing; an enqueue
  // from outside wakes it, and idle workers still steal every 10 ms.
  set("work-stealing.moderate-poll-attempts", size_t{0});
  set("scheduler.max-threads", size_t{std::max(2u, std::thread::hardware_concurrency())});
}

} // namespace mpk
