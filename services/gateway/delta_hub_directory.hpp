#pragma once
// Which delta hub serves which (registry, filter): the gateway's clients look their hub up here.
// Thread-safe; a hub removes itself when it retires (services/gateway/delta_hub.hpp).

#include "common/actors/interfaces.hpp"

#include <caf/actor_addr.hpp>
#include <caf/fwd.hpp>

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

namespace mpk::gateway {

struct gateway_context;

class delta_hub_directory {
public:
  /// The hub for the subscribers of `filter` (filter_identity) at `registry`, spawned on first use.
  delta_hub_actor get(caf::actor_system& sys, const std::shared_ptr<gateway_context>& ctx,
                      const registry_devices_actor& registry, const std::string& filter);
  /// A retiring hub takes itself out (only if it is still the one registered under its key).
  void forget(const caf::actor_addr& registry, const std::string& filter, const caf::actor_addr& hub);
  std::size_t size() const;

private:
  using key = std::pair<caf::actor_addr, std::string>;
  mutable std::mutex m_;
  std::map<key, delta_hub_actor> hubs_;
};

} // namespace mpk::gateway
