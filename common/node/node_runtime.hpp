#pragma once
/// What the three service mains share: the CAF configuration of a node (middleman, heartbeats,
/// caf_openssl when certificates are configured), publishing the service actor, and the
/// deadline-bound wait for SIGTERM/SIGINT.

#include "common/actors/system_config.hpp"
#include "common/node/node_config.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include <optional>
#include <string>

namespace mpk::cluster {

/// Applies the node options to the CAF configuration: TLS through caf_openssl with certificates,
/// else a WARNING (node links unauthenticated) — or false with `error` unless node.insecure=true
/// or the node only listens on the loopback interface.
bool configure_node(system_config& cfg, const node_options& o, std::string& error);

/// Publishes `service` on the node port; the port, or nullopt with `error`.
std::optional<std::uint16_t> publish(caf::actor_system& sys, const caf::actor& service, const node_options& o,
                                     std::string& error);

/// Stops listening on the node port (first step of an orderly shutdown).
void unpublish(caf::actor_system& sys, const caf::actor& service, std::uint16_t port);

} // namespace mpk::cluster
