#pragma once
// The life of a published service process after its actors are spawned: publish the supervisor,
// serve /healthz, wait for SIGINT/SIGTERM, then stop within a deadline (never wait for stragglers).

#include "common/node/node_config.hpp"

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <functional>
#include <vector>

namespace mpk::net {
class io_runtime;
}

namespace mpk::cluster {

/// `program` names the process in its start lines ("mpk-registry"); `role` is the /healthz role.
/// `also_stop` are further local actors (e.g. a registry proxy) ended at shutdown. Returns the
/// process exit code. `on_hangup` runs on each SIGHUP (a reload), if given.
int serve_node(caf::actor_system& sys, net::io_runtime& io, const node_options& node, const caf::actor& supervisor,
               const char* program, const char* role, std::vector<caf::actor> also_stop = {},
               std::function<void()> on_hangup = {});

} // namespace mpk::cluster
