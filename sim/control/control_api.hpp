#pragma once
/// The simulator's control interface: HTTP JSON under /control/... on the simulator's port, for
/// tests, benchmarks and the demo (change devices, unplug phones, restart instances, inject
/// passthrough faults, set registration states, read counters). Loopback clients only.

#include "common/net/connection.hpp"
#include "sim/devices/devices_app.hpp"
#include "sim/live/phone_fleet.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace mpk::sim {

/// What the control interface cannot do by itself; the runtime that owns PBXs and phones fills it in.
struct control_hooks {
  /// JSON array of the PBX links, e.g. [{"pbx":"tenant1.example.com","state":"logged-in"}].
  std::function<std::string()> pbx_states;
  /// Drops the link of the PBX with this system name; false if there is no such PBX.
  std::function<bool(std::string_view pbx)> drop_pbx;
  /// Creates and starts a live phone for a device row (POST /control/device with "live":true).
  std::function<bool(devices_instance& inst, const device_record& row, std::string& err)> start_live_phone;
  /// GET /control/tls: the simulator's certificate as JSON; POST /control/tls/renew first gives the
  /// port a new key and certificate (false and `err` when it cannot).
  std::function<bool(bool renew, std::string& json, std::string& err)> tls;
};

/// True for 127.0.0.0/8 and ::1 peers ("127.0.0.1:5555", "[::1]:5555", "::ffff:127.0.0.1:5555").
bool is_loopback(std::string_view remote);

class control_api {
public:
  control_api(devices_app& app, phone_fleet& fleet, control_hooks hooks = {});

  /// Answers a /control/... request; nullopt when the path is not the control interface's.
  std::optional<net::http_reply> handle(const net::http_request_info& req);

private:
  net::http_reply state() const;
  net::http_reply post_device(const net::http_request_info& req);
  net::http_reply post_domain(const net::http_request_info& req);
  devices_app& app_;
  phone_fleet& fleet_;
  control_hooks hooks_;
};

} // namespace mpk::sim
