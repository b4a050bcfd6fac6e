#pragma once
// Knows every PBX link of this gateway and its state, for the status view, /healthz and /metrics.

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

namespace mpk::gateway {

/// Handles (pbx_up, pbx_info, actor), (pbx_down, tenant, actor), (status) -> JSON array, (log_status),
/// (tenant_of, domain) -> the linked tenant of that name or "".
caf::actor spawn_link_directory(caf::actor_system& sys);

} // namespace mpk::gateway
