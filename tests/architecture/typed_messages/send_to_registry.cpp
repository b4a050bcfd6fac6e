// Compiled by typed_messages.sh, never linked: with no macro it sends the registry messages its
// interface lists and must compile; each MPK_CASE_* sends one it does not list and must not.
#include "common/actors/interfaces.hpp"

#include <caf/send.hpp>

#include <string>

void talk_to(const mpk::registry_actor& registry, const mpk::registry_targets_actor& targets) {
  caf::anon_send(registry, mpk::atom::query_v, mpk::device_query{});
  caf::anon_send(targets, mpk::atom::unwatch_tgt_v, std::string("tenant1/devices:1"));
#if defined(MPK_CASE_WRONG_ARGUMENT)
  // a query takes a device_query, not a search text
  caf::anon_send(registry, mpk::atom::query_v, std::string("IP232"));
#elif defined(MPK_CASE_NOT_IN_INTERFACE)
  // the phone sessions' view of the registry has no device list
  caf::anon_send(targets, mpk::atom::query_v, mpk::device_query{});
#elif defined(MPK_CASE_INTERNAL)
  // what the registry's own devices_links send it is not part of its public type
  caf::anon_send(registry, mpk::atom::link_event_v, mpk::link_update{});
#endif
}
