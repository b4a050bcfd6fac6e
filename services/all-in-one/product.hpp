#pragma once
// The product in one process: registry, phone sessions and gateway in one actor system, with the
// network runtime they share. mpk-allinone is this and nothing else; the demo program
// (sim/demo, mpk-demo) runs it beside the simulator.

#include "common/actors/interfaces.hpp"

#include <memory>
#include <string>

namespace caf {
class actor_system;
}
namespace mpk::config {
class settings;
}
namespace mpk::net {
class io_runtime;
}
namespace mpk::gateway {
class gateway;
}

namespace mpk::allinone {

/// Declares every option of the product in one process (gateway.*, tenant.*, registry.*, phone.*,
/// tls.*, io-threads), with the built-in model data and web app folders as defaults.
void declare_product_options(config::settings& s, const std::string& models_dir, const std::string& web_dir);

class product {
public:
  /// Loads the model data and starts the services. nullptr with `error` and `exit_code` (1: bad
  /// data or a port that cannot be bound, 2: a bad option) on failure.
  static std::unique_ptr<product> start(const config::settings& s, std::string& error, int& exit_code);
  /// start() for a program's main: the reason goes to stderr, `exit_code` is what main returns.
  static std::unique_ptr<product> start_or_explain(const config::settings& s, int& exit_code);
  ~product();
  product(const product&) = delete;
  product& operator=(const product&) = delete;

  gateway::gateway& gateway();
  /// The phone sessions' manager (SIGHUP: its wire file is read again).
  phone_manager_actor phones() const;
  /// SIGHUP: the gateway's certificate pair and every tls.ca-file, for connections from now on.
  void reload_tls();
  /// Ends everything within a deadline: tells the browsers, stops the services, then the network.
  void stop();

private:
  struct parts;
  explicit product(std::unique_ptr<parts> p);
  std::unique_ptr<parts> p_;
};

} // namespace mpk::allinone
