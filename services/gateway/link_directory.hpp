#pragma once
// Knows every PBX link of this gateway and its state, for the status view, /healthz and /metrics.

#include "common/actors/interfaces.hpp"

#include <caf/actor_system.hpp>

namespace mpk::gateway {

/// A `link_directory_actor`: (pbx_up …) / (pbx_down …) from the PBX links, (status[, scope]) -> JSON
/// array, (log_status[, scope]), (tenant_of, domain) -> the linked tenant of that name or "".
link_directory_actor spawn_link_directory(caf::actor_system& sys);

} // namespace mpk::gateway
