#pragma once
/// What a benchmark driver needs to know of a running mpk-sim: its first Devices instance, from
/// the control API's /control/state (domain, path, instance password, assigned devices, counters).

#include <cstdint>
#include <optional>
#include <string>

namespace mpk::bench {

struct sim_instance {
  std::string domain, path, password;
  std::uint64_t assigned = 0;  ///< devices in a domain (the ones a devices-api client is sent)
};

/// nullopt when the simulator at `base` ("http://127.0.0.1:<port>") cannot be read.
std::optional<sim_instance> read_sim(const std::string& base);

/// A number member of the first instance (e.g. "sysclients", "passthroughs"); -1 when unreadable.
double sim_instance_number(const std::string& base, const char* name);

/// The devices-api websocket URL of `s`.
std::string devices_api_url(const std::string& base, const sim_instance& s);

} // namespace mpk::bench
