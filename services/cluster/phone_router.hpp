#pragma once
/// The gateway's view of the phone sessions: one connector per phone-session node, and every
/// phone request routed to the node that owns the phone (shard.hpp: stable by device id).
/// When a node leaves or joins, the phones whose owner changed move: the old owner (if still
/// up) is told to drop the watcher, and each watcher gets (retry, "phones") so it watches again
/// through the router, i.e. on the new owner.
///
/// Same messages as the phone manager (phone_manager.hpp); (audit, "" , n) and (status) go to
/// every node and the JSON arrays are concatenated. With no node up, requests fail at once.

#include "services/cluster/node_config.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

namespace mpk::cluster {

caf::actor spawn_phone_router(caf::actor_system& sys, std::vector<peer_address> peers);

} // namespace mpk::cluster
