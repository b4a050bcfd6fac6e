#pragma once
/// A local stand-in for the registry of another process, of the same type (`registry_actor`). It keeps one connector
/// per configured registry node (the first one up serves), forwards every message with the original sender, and
/// remembers what a new registry process must learn again:
/// - (pbx_up / pbx_down) by tenant: replayed to a registry that (re)connects, so it rebuilds its
///   devices-api links and, from them, its model (gateway side);
/// - (watch_tgt / unwatch_tgt) per sender: replayed as the sender (phone-session side);
/// - subscribers (subscribe / unsubscribe): told (retry, "registry") so they subscribe again (gateway side).
/// While no registry is connected, requests fail at once with an error (never a hang).
/// (status) and (log_status) are forwarded too; (status) fails as "unavailable" while down.

#include "common/actors/interfaces.hpp"
#include "common/node/node_config.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

namespace mpk::cluster {

registry_actor spawn_registry_proxy(caf::actor_system& sys, std::vector<peer_address> peers);

} // namespace mpk::cluster
