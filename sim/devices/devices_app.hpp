#pragma once
/// The simulated Devices App: its instances and the routing of the simulator's port to them
/// (`/<domain>/<instance>[/innovaphone-devices-api]`, `/sysclients`, `/passthrough/...`).

#include "common/net/connection.hpp"
#include "common/net/server.hpp"
#include "sim/devices/instance.hpp"

#include <chrono>
#include <memory>
#include <string_view>
#include <vector>

namespace mpk::sim {

class devices_app {
public:
  /// Adds an instance (before the server starts; the list is not changed afterwards).
  void add(std::shared_ptr<devices_instance> inst);
  const std::vector<std::shared_ptr<devices_instance>>& instances() const { return instances_; }
  /// By instance name ("devices"); nullptr if none.
  std::shared_ptr<devices_instance> find(std::string_view name) const;
  /// The instance holding a device with this hwId (first match), or nullptr.
  std::shared_ptr<devices_instance> find_device(std::string_view hw_id) const;

  /// A websocket handler when `req.target` is one of ours; nullptr otherwise or while the instance is down.
  net::handler_ptr upgrade(const net::http_request_info& req) const;
  /// Serves the request if it is a passthrough of one of our instances; false if not ours.
  bool http(const net::http_request_info& req, net::http_responder& respond) const;

  void set_http_base(const std::string& base);
  /// Closes every websocket of every instance and waits up to `grace` for the close handshakes
  /// (so nothing is left half-closed when the Asio threads stop next).
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(2000));

private:
  /// Splits "/<domain>/<instance>/<rest>" (query dropped for websockets) into the instance and rest.
  std::shared_ptr<devices_instance> route(std::string_view target, std::string_view& rest, bool& has_rest) const;

  std::vector<std::shared_ptr<devices_instance>> instances_;
};

} // namespace mpk::sim
