#pragma once
/// The split deployment as real processes on 127.0.0.1 (tests/cluster/topology: mpk-registry,
/// mpk-phone-session, mpk-gateway and mpk-sim, wired as deploy/run-local.sh does), what the soak
/// needs to know of it once it has settled (the listed devices, the live phones' ids, the
/// simulator's ids of the devices to churn), and the two restarts the soak makes.

#include "tests/cluster/topology.hpp"

#include <string>
#include <utility>
#include <vector>

namespace mpk::soak {

struct population {
  int devices = 2000, domains = 10, tenants = 2, live_phones = 50;
};

class deployment {
public:
  deployment(const population& p, bool keep_logs);
  /// Starts every process and waits until the product lists the tenants' devices; false with `error`.
  bool start();
  /// kill -9 of the registry, then a new one on the same port; false with `error`.
  bool restart_registry();
  /// The simulator's Devices App closes every session and refuses new ones for `down_ms`.
  bool restart_devices(int down_ms);

  /// name → pid of every process (the registry's pid changes with each restart).
  std::vector<std::pair<std::string, int>> processes() const;
  unsigned short gateway_port() const { return topo_.gateway_port; }
  std::string sim_base() const { return "http://127.0.0.1:" + std::to_string(topo_.sim_port); }
  std::string log_dir() const { return topo_.dir; }
  int tenants() const { return population_.tenants; }

  std::string error;
  std::size_t listed = 0;                  ///< devices the operator's list held after the start
  std::vector<std::string> phone_ids;      ///< the product's ids of the connected live phones
  std::vector<std::int64_t> churn_targets; ///< the simulator's ids of the other listed devices

private:
  bool discover();

  population population_;
  test::topology topo_;
};

} // namespace mpk::soak
