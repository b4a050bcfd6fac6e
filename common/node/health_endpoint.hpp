#pragma once
/// GET /healthz of the registry and phone-session processes (the gateway has its own on its
/// HTTP port): 200 {"status":"ok",...} when the service actor answers (status) in time, 503
/// otherwise. Used by the compose health checks and by operators.

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include <memory>
#include <string>

namespace mpk::net {
class io_runtime;
class server;
} // namespace mpk::net

namespace mpk::cluster {

/// Listens on host:port (0 = any free port); nullptr with `error` when it cannot bind.
std::shared_ptr<net::server> start_health_endpoint(caf::actor_system& sys, net::io_runtime& io, const std::string& host,
                                                   unsigned short port, std::string service_name, caf::actor service,
                                                   std::string& error);

} // namespace mpk::cluster
