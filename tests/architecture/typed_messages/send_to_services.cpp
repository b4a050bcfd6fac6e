// Compiled by typed_messages.sh, never linked: with no macro it sends the messages each interface
// lists and must compile; each MPK_CASE_* sends one it does not list and must not.
#include "common/actors/interfaces.hpp"

#include <caf/send.hpp>

#include <string>
#include <vector>

void talk_to(const mpk::registry_actor& registry, const mpk::registry_targets_actor& targets,
             const mpk::phone_manager_actor& phones, const mpk::phone_watcher_actor& watcher) {
  caf::anon_send(registry, mpk::atom::query_v, mpk::device_query{});
  caf::anon_send(targets, mpk::atom::unwatch_tgt_v, std::string("tenant1/devices:1"));
  caf::anon_send(phones, mpk::atom::watch_v, std::string("tenant1/devices:1"), std::vector<std::string>{}, watcher);
  caf::anon_send(watcher, mpk::lcd_frame{});
#if defined(MPK_CASE_WRONG_ARGUMENT)
  // a query takes a device_query, not a search text
  caf::anon_send(registry, mpk::atom::query_v, std::string("IP232"));
#elif defined(MPK_CASE_NOT_IN_INTERFACE)
  // the phone sessions' view of the registry has no device list
  caf::anon_send(targets, mpk::atom::query_v, mpk::device_query{});
#elif defined(MPK_CASE_INTERNAL)
  // what the registry's own devices_links send it is not part of its public type
  caf::anon_send(registry, mpk::atom::link_event_v, mpk::link_update{});
#elif defined(MPK_CASE_UNTYPED_WATCHER)
  // a phone's watcher is a phone_watcher_actor, not any actor
  caf::anon_send(phones, mpk::atom::watch_v, std::string("tenant1/devices:1"), std::vector<std::string>{},
                 caf::actor{});
#elif defined(MPK_CASE_MANAGER_DRAIN)
  // stopping a node's phone manager is for the process that runs it, not for the gateway's view
  caf::anon_send(phones, mpk::atom::drain_v);
#elif defined(MPK_CASE_WATCHER_DELTA)
  // a phone's watcher gets the phone's events and frames, not device list deltas
  caf::anon_send(watcher, mpk::device_delta{});
#endif
}
