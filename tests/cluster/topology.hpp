#pragma once
// Test helper: the split topology as real processes on 127.0.0.1 — registry, phone-session
// node(s), gateway and the simulator — plus an operator browser over a real websocket.

#include "common/net/io_runtime.hpp"
#include "tests/cluster/process.hpp"
#include "tests/sim/ws_client.hpp"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace mpk::test {

struct topology {
  explicit topology(std::string name, int phone_nodes = 1);
  ~topology();

  bool start_registry();
  bool start_phones(std::size_t i);
  bool start_gateway();
  bool start_sim();
  /// Everything in order; false with `error`.
  bool start_all();

  std::string name, dir, error;
  unsigned short registry_port = 0, gateway_port = 0, sim_port = 0;
  std::vector<unsigned short> phone_ports;
  std::unique_ptr<child_process> registry, gateway, sim;
  std::vector<std::unique_ptr<child_process>> phones;
};

/// An operator logged in to the gateway with a subscribed device list and optionally one watched phone.
class browser {
public:
  browser(net::io_runtime& io, unsigned short gateway_port);
  bool ok() const { return ok_; }
  std::string error;
  /// QueryDevices {subscribe:true, limit:500}, src "list".
  bool subscribe();
  /// Watch {device}, src "watch"; true on a WatchResult.
  bool watch(const std::string& device);
  /// Reads frames for up to `d`: keeps the list, counts and acks LCD frames.
  void pump(std::chrono::milliseconds d);
  /// Pumps until `pred()` or the timeout; true if it held.
  template <class Pred>
  bool pump_until(Pred pred, std::chrono::milliseconds timeout) {
    auto end = std::chrono::steady_clock::now() + timeout;
    while (!pred()) {
      if (std::chrono::steady_clock::now() >= end || closed()) return pred();
      pump(std::chrono::milliseconds(100));
    }
    return true;
  }
  bool closed() const { return ws_ && ws_->closed(); }

  struct device { std::string hw_id; bool online = false; };
  std::map<std::string, device> devices;  ///< by id
  std::size_t frames = 0, resets = 0;
  std::string watched;

private:
  void on_text(const std::string& text);
  std::shared_ptr<ws_client> ws_;
  bool ok_ = false;
};

/// The simulator's devices (all instances) as hwId -> online, from /control/devices.
std::map<std::string, bool> sim_devices(unsigned short sim_port);
/// hwIds of the simulator's connected live phones (/control/state).
std::vector<std::string> sim_live_phones(unsigned short sim_port);

} // namespace mpk::test
