#pragma once
/// The messaging interfaces between the parts, as types: a handle of one of these accepts only
/// the messages listed, so a wrong message is a compile error, not an "unexpected message" at run
/// time. Roles are named in upper case in the comments (REGISTRY, PHONE MANAGER …); one line per
/// handler; handlers an actor sends to itself are marked INTERNAL and stay out of the public types.
/// A cluster proxy implements the same public type as the service it stands for.

#include "common/actors/atoms.hpp"
#include "common/actors/messages.hpp"

#include <caf/actor.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace mpk {

// -- REGISTRY: the model of every domain and device ------------------------------------------

/// What a PHONE MANAGER and its phone sessions ask the REGISTRY: where a phone is reached.
using registry_targets_actor = caf::typed_actor<
  /// (target, device, tenants) -> the phone's target, or unknown_device when outside the tenants.
  caf::replies_to<atom::target, std::string, std::vector<std::string>>::with<phone_target>,
  /// (watch_tgt, device) -> the target now; the sender gets a phone_target after every change.
  caf::replies_to<atom::watch_tgt, std::string>::with<phone_target>,
  /// (unwatch_tgt, device): no more targets of that device to the sender.
  caf::reacts_to<atom::unwatch_tgt, std::string>>;

/// What the GATEWAY's device list asks the REGISTRY.
using registry_devices_actor = caf::typed_actor<
  /// (query, query) -> one page of the list.
  caf::replies_to<atom::query, device_query>::with<device_page>,
  /// (subscribe, query, resume_from) -> the page (or a resumed count); the sender gets device_delta
  /// messages from then on, and (retry, reason) when it should subscribe again.
  caf::replies_to<atom::subscribe, device_query, std::uint64_t>::with<device_page>,
  /// (unsubscribe): no more deltas to the sender.
  caf::reacts_to<atom::unsubscribe>,
  /// (domains, tenants) -> the domains of those tenants with their counts.
  caf::replies_to<atom::domains, std::vector<std::string>>::with<std::vector<domain_summary>>>;

/// A service that reports its links ("Log Service Connections", GetStatus).
using status_actor = caf::typed_actor<
  /// (status) -> JSON of everything.
  caf::replies_to<atom::status>::with<std::string>,
  /// (status, scope) -> JSON of those tenants only.
  caf::replies_to<atom::status, tenant_scope>::with<std::string>,
  /// (log_status[, scope]): the same, once to the log.
  caf::reacts_to<atom::log_status>, caf::reacts_to<atom::log_status, tenant_scope>>;

/// What a PBX link tells the services that follow PBXs (the REGISTRY).
using pbx_listener_actor = caf::typed_actor<
  /// (pbx_up, info, pbx link): a PBX link is ready or its granted services changed.
  caf::reacts_to<atom::pbx_up, pbx_info, caf::actor>,
  /// (pbx_down, tenant, pbx link): that PBX link is gone.
  caf::reacts_to<atom::pbx_down, std::string, caf::actor>>;

/// What an operator changes on the REGISTRY's devices-api links.
using registry_links_actor = caf::typed_actor<
  /// (pin_cert, link id, SHA-256 hex) -> JSON {ok, …}: the link trusts exactly that certificate
  /// from now on (tls.pin-file written) and reconnects.
  caf::replies_to<atom::pin_cert, std::string, std::string>::with<std::string>>;

/// The REGISTRY as every other part sees it (and as the cluster's registry proxy is).
using registry_actor = registry_devices_actor::extend_with<registry_targets_actor, status_actor,
                                                           pbx_listener_actor, registry_links_actor>;

} // namespace mpk
