#pragma once
// The bounded wait of an orderly shutdown, between "every actor was told to stop" and "the network
// stops". Stopping the network while an actor still owns a websocket leaves the two holding each
// other at exit (the connection's bridge keeps the actor, the actor keeps the connection).

#include <caf/actor_system.hpp>

#include <chrono>
#include <functional>

namespace mpk {

/// Waits until every actor of `sys` has finished and `network_idle` (when given) is true, at most
/// `limit`. False if something still ran then: the caller goes on, a shutdown never hangs.
bool await_quiet(caf::actor_system& sys, std::chrono::milliseconds limit,
                 const std::function<bool()>& network_idle = {});

} // namespace mpk
