#pragma once
// GET /healthz (JSON of the link states; 200 when the gateway reaches its registry and phone
// sessions, 503 otherwise) and GET /metrics (Prometheus text format).

#include "common/net/server.hpp"
#include "services/gateway/gateway_context.hpp"

#include <caf/actor_system.hpp>

namespace mpk::gateway {

void serve_health(caf::actor_system& sys, std::shared_ptr<gateway_context> ctx, net::http_responder respond);
void serve_metrics(caf::actor_system& sys, std::shared_ptr<gateway_context> ctx, net::http_responder respond);

} // namespace mpk::gateway
