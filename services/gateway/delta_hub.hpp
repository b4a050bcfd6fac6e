#pragma once
// The device list fan-out of one gateway: one hub per (registry, subscription filter).
//
// The hub is the registry's only subscriber for its filter, so a change costs the registry one
// message per distinct filter, not one per browser. The hub encodes each delta once and writes
// it to every member connection itself: no actor message per client per change. A member is a
// client session whose QueryDevices{subscribe} went through the hub; the hub asks the registry
// for that client's page and sends the page on the client's connection before any delta, so
// order holds without the client session in the path. A delta that comes while the hub's last
// message is still being handed to the network joins a batch that goes out, merged, the moment
// the network is free. A member whose connection holds more than 64 KiB gets its deltas merged
// of its own (delta_merge.hpp), flushed when its queue ran empty.
//
// Its type is `delta_hub_actor` (common/actors/interfaces.hpp): subscribe / unsubscribe /
// ws_drained from client sessions (the sender identifies the member, a `list_member_actor`),
// device_delta from the registry and (retry, "registry") from the cluster's registry proxy
// (passed on to every member). A hub retires as soon as it has no member and no page to deliver.

#include "common/actors/interfaces.hpp"

#include <caf/fwd.hpp>

#include <memory>
#include <string>

namespace mpk::gateway {

struct gateway_context;

delta_hub_actor spawn_delta_hub(caf::actor_system& sys, std::shared_ptr<gateway_context> ctx,
                                registry_devices_actor registry, std::string filter);

} // namespace mpk::gateway
