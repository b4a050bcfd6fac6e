#pragma once
/// The gateway's view of the phone sessions: one connector per phone-session node, and every
/// phone request routed to the node that owns the phone (shard.hpp: stable by device id).
/// When a node leaves or joins, the phones whose owner changed move: the old owner (if still
/// up) is told to drop the watcher, and each watcher gets (retry, "phones") so it watches again
/// through the router, i.e. on the new owner.
///
/// Of the phone manager's type (`phone_manager_actor`); (audit, "" , n), (status) and
/// (wire_reload) go to every node and the JSON arrays are concatenated. With no node up,
/// requests fail at once.

#include "common/actors/interfaces.hpp"
#include "common/node/node_config.hpp"

#include <caf/actor_system.hpp>

namespace mpk::cluster {

phone_manager_actor spawn_phone_router(caf::actor_system& sys, std::vector<peer_address> peers);

} // namespace mpk::cluster
