#pragma once
/// In-process supervision (CAF 0.17 restarts nothing by itself): a stable actor that owns one
/// child, monitors it and respawns it with backoff (250 ms doubling to 10 s; reset after 30 s of
/// quiet). Every message is forwarded to the current child with the original sender, so the
/// supervisor is what a process publishes to its peers: its handle survives restarts of the child.
/// While the child is down, requests fail at once. An exit message stops child and supervisor.

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include <functional>
#include <string>

namespace mpk::cluster {

using child_factory = std::function<caf::actor(caf::actor_system&)>;

caf::actor spawn_supervisor(caf::actor_system& sys, std::string name, child_factory factory);

} // namespace mpk::cluster
