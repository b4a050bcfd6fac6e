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
  // Our own logger writes every line; CAF's is compiled out in Debian's build anyway.
  set("logger.console", caf::atom("none"));
}

} // namespace mpk
