#pragma once
// Test helper: the split topology as real processes on 127.0.0.1 — registry, phone-session
// node(s), gateway and the simulator — plus an operator browser over a real websocket.

#include "tests/cluster/operator_client.hpp"
#include "tests/cluster/process.hpp"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace mpk::test {

/// The App object password the topology's gateway and simulated PBXs share.
inline constexpr const char* cluster_app_password = "cluster-app-pw";

struct topology {
  explicit topology(std::string name, int phone_nodes = 1);
  ~topology();

  /// Before start_all: TLS everywhere, certificates from a throw-away CA in `dir` — the gateway's
  /// (browsers and PBX on wss), the simulator's (devices-api on wss, passthrough on https), and the
  /// registry and phone sessions trusting the CA (tls.ca-file).
  void use_tls();

  bool start_registry();
  bool start_phones(std::size_t i);
  bool start_gateway();
  bool start_sim();
  /// Everything in order; false with `error`.
  bool start_all();

  std::string name, dir, error;
  /// The simulator's population (options of mpk-sim); a soak sets a larger one before start_sim.
  std::vector<std::string> sim_population{"--devices=40", "--domains=3", "--live-phones=6", "--tenants=1"};
  bool keep_dir = false; ///< leave the logs behind (the destructor removes `dir` otherwise)
  std::string ca_file;   ///< with use_tls: the CA every peer trusts ("" without TLS)
  unsigned short registry_port = 0, gateway_port = 0, sim_port = 0;
  std::vector<unsigned short> phone_ports;
  std::unique_ptr<child_process> registry, gateway, sim;
  std::vector<std::unique_ptr<child_process>> phones;
};

/// The simulator's devices (all instances) as hwId -> online, from /control/devices.
std::map<std::string, bool> sim_devices(unsigned short sim_port);
/// hwIds of the simulator's connected live phones (/control/state).
std::vector<std::string> sim_live_phones(unsigned short sim_port);

} // namespace mpk::test
