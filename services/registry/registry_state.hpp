#pragma once
/// INTERNAL to the registry service: the registry actor's state and the helpers its handler
/// files share (registry.cpp: queries and subscriptions; registry_links.cpp: links and PBXs).

#include "common/actors/interfaces.hpp"
#include "common/actors/messages.hpp"
#include "services/registry/device_filter.hpp"
#include "services/registry/device_model.hpp"
#include "services/registry/event_log.hpp"
#include "services/registry/link_status.hpp"
#include "services/registry/registry.hpp"

#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace mpk::registry {

/// One devices-api link as the registry sees it.
struct link_entry {
  link_status status;
  std::string service;           ///< SIP name (GetServiceLogin `app`)
  caf::actor actor;              ///< the devices_link (null for links fed from outside, e.g. tests)
  pbx_link_actor pbx;            ///< the PBX link of the tenant that issues its logins
  std::string passthrough_base;  ///< ".../passthrough/" of the current session
  std::string key;               ///< passthrough session key (secret)
  std::string pin;               ///< the pinned certificate (hex) the link actor was started with
  bool started = false;          ///< a first connection attempt was seen (reconnects count after it)
  std::uint32_t crashes = 0;     ///< consecutive unexpected stops of the link actor
  bool stale_armed = false;      ///< down, its grace period running (registry_options::stale_grace)
  bool stale_extended = false;   ///< the grace ran out while loading: one more period, then stale
  std::uint64_t stale_epoch = 0; ///< tag of the running grace timer (registry_state::stale_clock)
  bool up() const { return status.state == link_state::up; }
};

/// One subscriber (one per actor: a new subscribe replaces the old).
struct subscription {
  device_subscriber_actor who;
  device_filter filter;
};

/// Watchers of one device's phone_target and the target they were sent last.
struct target_watch {
  std::vector<target_watcher_actor> watchers;
  phone_target last;
};

struct registry_state {
  registry_options opts;
  device_model model;
  event_log log;
  std::uint64_t seq = 0;
  std::map<std::string, link_entry> links; ///< by link id "<tenant>/<service>"
  std::map<caf::actor_addr, subscription> subscribers;
  std::map<std::string, target_watch> watches; ///< by device id
  /// phone_target epochs: bumped when base_url, online or link_up of a device changes.
  std::unordered_map<std::string, std::pair<std::string, std::uint64_t>> target_epochs;
  std::uint64_t target_clock = 0;
  /// Tags stale grace timers across all links, so a timer of a removed link never matches a
  /// new link of the same id.
  std::uint64_t stale_clock = 0;
  std::set<caf::actor_addr> monitored;

  ~registry_state();

  static inline const char* name = "registry";
};

/// The REGISTRY with what only it sends itself and what its own devices_links send it.
using registry_internal_actor = registry_actor::extend<
  /// INTERNAL: (link_event, update) from a devices_link.
  caf::reacts_to<atom::link_event, link_update>,
  /// INTERNAL: (tick, link id, epoch) the stale grace period of a link that went down is over.
  caf::reacts_to<atom::tick, std::string, std::uint64_t>,
  /// INTERNAL: (retry, link id) respawn a link actor that stopped unexpectedly.
  caf::reacts_to<atom::retry, std::string>>;

/// Subscribers and target watchers are typed callbacks (interfaces.hpp); a delta goes to every
/// subscriber of a filter as one shared message (typed_send.hpp), with the registry as the sender
/// (a delta hub keys its cache by the sender). Its own devices_links are dynamically typed FSMs,
/// reached with caf::unsafe_send_as(self, …).
using registry_ptr = registry_internal_actor::stateful_pointer<registry_state>;

// -- shared helpers (registry.cpp) -----------------------------------------------------------

/// Gives a change list a sequence number, logs it and fans it out; then refreshes watched targets.
void publish(registry_ptr self, change_list changes);
/// Sends changed phone_targets to their watchers.
void refresh_targets(registry_ptr self);
/// The current phone_target of a device entry.
phone_target make_target(registry_ptr self, const device_entry& e);
/// Monitors an actor once (subscribers, watchers, PBX links, devices links).
template <class Handle>
void monitor_once(registry_ptr self, const Handle& a) {
  if (a && self->state.monitored.insert(a.address()).second) self->monitor(a);
}

// -- link handling (registry_links.cpp) ------------------------------------------------------

void on_pbx_up(registry_ptr self, const pbx_info& info, const pbx_link_actor& pbx);
void on_pbx_down(registry_ptr self, const std::string& tenant, const pbx_link_actor& pbx);
void on_link_event(registry_ptr self, link_update& u);
/// A monitored actor went down: returns true if it was a link or PBX link (handled).
bool on_link_or_pbx_down(registry_ptr self, const caf::actor_addr& who, const caf::error& reason);
/// (tick, link id, epoch): the link is still down after its grace period: its devices go stale.
void on_stale_grace_over(registry_ptr self, const std::string& id, std::uint64_t epoch);
/// (retry, link id): respawn a link actor that stopped unexpectedly.
void respawn_link(registry_ptr self, const std::string& id);
/// The devices-api links of the tenants in `scope` as a JSON array (never a key or a password).
std::string status_of(registry_ptr self, const tenant_scope& scope);
/// The operator trusts the certificate `hex` for link `id`: pin file written, link restarted.
std::string pin_certificate(registry_ptr self, const std::string& id, const std::string& hex);
void log_status(registry_ptr self, const tenant_scope& scope);

} // namespace mpk::registry
