#pragma once
/// What a benchmark driver needs to know of a running mpk-sim: its Devices instances, from the
/// control API's /control/state (name, domain, path, instance password, assigned devices, counters).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mpk::bench {

struct sim_instance {
  std::string name, domain, path, password;
  std::uint64_t assigned = 0; ///< devices in a domain (the ones a devices-api client is sent)
};

/// The first instance; nullopt when the simulator at `base` ("http://127.0.0.1:<port>") cannot be read.
std::optional<sim_instance> read_sim(const std::string& base);
/// Every instance in the simulator's order; empty when it cannot be read.
std::vector<sim_instance> read_sim_instances(const std::string& base);

/// A number member of the first instance (e.g. "sysclients", "passthroughs"); -1 when unreadable.
double sim_instance_number(const std::string& base, const char* name);

/// The devices-api websocket URL of `s`.
std::string devices_api_url(const std::string& base, const sim_instance& s);
/// The name the simulated PBXs grant `s` under: "devices-api", "devices-api-<name>" for the others.
std::string devices_api_service(const sim_instance& s);

} // namespace mpk::bench
