#pragma once
/// The whole simulator in one object: the deterministic population, the simulated Devices App
/// instances, the live sysclient phones, the simulated PBX tenants, the myApps shell and the
/// control interface, all on one HTTP/websocket port. Used by `mpk-sim` and, in-process, by the
/// product's all-in-one demo binary.

#include "common/base/config.hpp"
#include "sim/devices/devices_app.hpp"
#include "sim/devices/population.hpp"
#include "sim/live/phone_fleet.hpp"

#include <memory>
#include <string>
#include <vector>

namespace mpk::sim {

/// Declares the simulator's options on `s`, each name prefixed with `prefix` (mpk-sim uses none;
/// an all-in-one binary may use "sim." to keep them apart from its own).
void declare_sim_options(config::settings& s, const std::string& prefix = "");

class sim_runtime {
public:
  sim_runtime();
  ~sim_runtime();
  sim_runtime(const sim_runtime&) = delete;
  sim_runtime& operator=(const sim_runtime&) = delete;

  /// Builds everything and starts serving; false and `error` when an option is bad, the model
  /// data cannot be read or the port cannot be bound.
  bool start(const config::settings& s, std::string& error, const std::string& prefix = "");
  /// Stops phones, PBX links, the port and the Asio threads (idempotent).
  void stop();

  unsigned short port() const;
  std::string http_base() const; ///< "http://<host>:<port>"
  std::string ws_base() const;   ///< "ws://<host>:<port>"
  /// With tls: the throw-away CA's certificate file, the SHA-256 of the port's certificate (hex)
  /// and the product's certificate pair from the same CA ("" when tls is off or a pair was given).
  std::string tls_ca_file() const;
  std::string tls_fingerprint() const;
  std::string product_cert_file() const;
  std::string product_key_file() const;
  /// The line mpk-sim prints at start: where everything is.
  std::string summary() const;
  /// Seconds spent generating and loading the population (the 100k figure).
  double load_seconds() const;

  devices_app& devices();
  phone_fleet& phones();
  const population& pop() const;

  struct tenant_info {
    std::string system_name, app_object, app_password, product_url, app_url, state;
    std::vector<std::string> users;
  };
  std::vector<tenant_info> tenants() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// mpk-sim's main: parse options, start, print the summary, run until SIGINT/SIGTERM.
int run_sim(int argc, const char* const* argv);

} // namespace mpk::sim
