#pragma once
/// The connect FSM of one node link: asks the middleman actor to connect (never CAF 0.17's
/// remote_actor, which blocks a scheduler worker, and a blackholed host with it), monitors the
/// peer's published actor, and reconnects with backoff after a down message (peer killed: at
/// once; peer hung: after the BASP heartbeat timeout).
///
/// Reports to `owner` (local messages):
///   (link_event, std::string peer, caf::actor service)  connected (a fresh handle every time)
///   (link_event, std::string peer)                      lost

#include "common/node/node_config.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

namespace mpk::cluster {

caf::actor spawn_connector(caf::actor_system& sys, peer_address peer, caf::actor owner);

} // namespace mpk::cluster
