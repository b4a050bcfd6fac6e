#pragma once
// Health and metrics, each for its audience (docs/security.md "Health and metrics"):
// - the public port's GET /healthz: {"status":"ok"} (200) or {"status":"degraded"} (503) and
//   nothing else — for load balancers and compose health checks, which anyone may ask;
// - the admin listener's GET /healthz: the same verdict with every link's state and the warnings
//   an operator must see, and GET /metrics (Prometheus text format).

#include "common/net/server.hpp"
#include "services/gateway/gateway_context.hpp"

#include <caf/actor_system.hpp>

namespace mpk::gateway {

/// The public verdict only: ok while the gateway reaches its registry and phone sessions.
void serve_public_health(caf::actor_system& sys, std::shared_ptr<gateway_context> ctx, net::http_responder respond);
/// The detailed health (admin listener).
void serve_health(caf::actor_system& sys, std::shared_ptr<gateway_context> ctx, net::http_responder respond);
void serve_metrics(caf::actor_system& sys, std::shared_ptr<gateway_context> ctx, net::http_responder respond);

} // namespace mpk::gateway
