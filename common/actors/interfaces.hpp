#pragma once
/// The messaging interfaces between the parts, as types: a handle of one of these accepts only
/// the messages listed, so a wrong message is a compile error, not an "unexpected message" at run
/// time. Roles are named in upper case in the comments (REGISTRY, PHONE MANAGER …); one line per
/// handler; handlers an actor sends to itself are marked INTERNAL and stay out of the public types.
/// A cluster proxy implements the same public type as the service it stands for.

#include "common/actors/atoms.hpp"
#include "common/actors/messages.hpp"
#include "common/net/connection.hpp"

#include <caf/actor.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace mpk {

// -- callbacks: what the services push to the actors that asked for it --------------------------

/// A WATCHER of a phone (a gateway's client session): what the PHONE SESSION pushes to it.
using phone_watcher_actor = caf::typed_actor<
  /// phone_event: PhoneState, Registrations, KeyStates … of the watched phone.
  caf::reacts_to<phone_event>,
  /// lcd_frame: a screen update; the watcher acknowledges it with (frame_ack …) to the PHONE MANAGER.
  caf::reacts_to<lcd_frame>,
  /// (retry, "phones"): the phone moved to another node, or its node restarted: watch it again.
  caf::reacts_to<atom::retry, std::string>>;

/// A DEVICE LIST SUBSCRIBER of the REGISTRY (a gateway's delta hub): what follows a (subscribe …).
using device_subscriber_actor = caf::typed_actor<
  /// device_delta: the changes of one seq that match the subscriber's filter.
  caf::reacts_to<device_delta>,
  /// (retry, "registry" | "registry-lost"): a new registry process serves (subscribe again), or none does.
  caf::reacts_to<atom::retry, std::string>>;

/// A TARGET WATCHER of the REGISTRY (a phone session): what follows a (watch_tgt …).
using target_watcher_actor = caf::typed_actor<
  /// phone_target: the device's target changed (base URL, online, link up).
  caf::reacts_to<phone_target>>;

/// A PBX LINK (gateway): what the REGISTRY's devices-api links ask the PBX of their tenant.
using pbx_link_actor = caf::typed_actor<
  /// (svc_login, service SIP name, challenge) -> the PBX's GetServiceLogin answer.
  caf::replies_to<atom::svc_login, std::string, std::string>::with<service_login>>;

// -- REGISTRY: the model of every domain and device ------------------------------------------

/// What a PHONE MANAGER and its phone sessions ask the REGISTRY: where a phone is reached. The
/// sender of a (watch_tgt …) is a target_watcher_actor.
using registry_targets_actor = caf::typed_actor<
  /// (target, device, tenants) -> the phone's target, or unknown_device when outside the tenants.
  caf::replies_to<atom::target, std::string, std::vector<std::string>>::with<phone_target>,
  /// (watch_tgt, device) -> the target now; the sender gets a phone_target after every change.
  caf::replies_to<atom::watch_tgt, std::string>::with<phone_target>,
  /// (unwatch_tgt, device): no more targets of that device to the sender.
  caf::reacts_to<atom::unwatch_tgt, std::string>>;

/// What the GATEWAY's device list asks the REGISTRY. The sender of a (subscribe …) is a
/// device_subscriber_actor.
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
  caf::reacts_to<atom::pbx_up, pbx_info, pbx_link_actor>,
  /// (pbx_down, tenant, pbx link): that PBX link is gone.
  caf::reacts_to<atom::pbx_down, std::string, pbx_link_actor>>;

/// What an operator changes on the REGISTRY's devices-api links.
using registry_links_actor = caf::typed_actor<
  /// (pin_cert, link id, SHA-256 hex) -> JSON {ok, …}: the link trusts exactly that certificate
  /// from now on (tls.pin-file written) and reconnects.
  caf::replies_to<atom::pin_cert, std::string, std::string>::with<std::string>>;

/// The REGISTRY as every other part sees it (and as the cluster's registry proxy is).
using registry_actor =
  registry_devices_actor::extend_with<registry_targets_actor, status_actor, pbx_listener_actor, registry_links_actor>;

// -- PHONE MANAGER: the phone sessions of one node --------------------------------------------

/// The PHONE MANAGER as the GATEWAY sees it (and as the cluster's phone router is).
using phone_manager_actor = caf::typed_actor<
  /// (watch, device, tenants, watcher) -> the phone's target; the watcher then gets phone_event and
  /// lcd_frame messages. Errors: the registry's (unknown device, outside the tenants), unsupported.
  caf::replies_to<atom::watch, std::string, std::vector<std::string>, phone_watcher_actor>::with<phone_target>,
  /// (unwatch, device, watcher): no more of that phone to the watcher.
  caf::reacts_to<atom::unwatch, std::string, phone_watcher_actor>,
  /// (frame_ack, device, seq, watcher): the watcher has shown that frame (pacing).
  caf::reacts_to<atom::frame_ack, std::string, std::uint32_t, phone_watcher_actor>,
  /// (command, command) -> its result (always a result; codes in command_result.error).
  caf::replies_to<atom::command, phone_command>::with<command_result>,
  /// (admin_http, device, method, path, body) -> the phone's answer through the passthrough.
  caf::replies_to<atom::admin_http, std::string, std::string, std::string, std::string>::with<relayed_http>,
  /// (audit, device ("" = all), limit) -> JSON array of the audit log, newest first.
  caf::replies_to<atom::audit, std::string, std::uint32_t>::with<std::string>,
  /// (audit, note) -> written: an entry of another service (the admin-UI relay).
  caf::replies_to<atom::audit, audit_note>::with<bool>,
  /// (wire_check, device, acts, who) -> JSON report of the wire check (docs/wire-calibration.md).
  caf::replies_to<atom::wire_check, std::string, std::vector<std::string>, actor_identity>::with<std::string>,
  /// (wire_reload) -> JSON array with this node's result of reading phone.wire-file again.
  caf::replies_to<atom::wire_reload>::with<std::string>>::extend_with<status_actor>;

/// The PHONE MANAGER as the process that runs it holds it: stopped by whoever started it.
using phone_manager_node_actor = phone_manager_actor::extend<
  /// (drain): stops every session and the manager (normal exit).
  caf::reacts_to<atom::drain>>;

// -- GATEWAY ------------------------------------------------------------------------------------

/// A member of a DELTA HUB (a gateway's client session): what the hub passes on from the
/// REGISTRY's side; its deltas go straight to the member's connection, not through it.
using list_member_actor = caf::typed_actor<
  /// (retry, "registry"): a new registry process serves, subscribe again; (retry, "registry-lost"):
  /// none serves now, the list is reconnecting.
  caf::reacts_to<atom::retry, std::string>>;

/// The GATEWAY's DELTA HUB of one (registry, filter): the REGISTRY's one subscriber for the
/// filter, writing each delta to every member's connection (services/gateway/delta_hub.hpp).
using delta_hub_actor = device_subscriber_actor::extend<
  /// (subscribe, connection, query, resume_from, src, api, resubscribed, who) -> the page's seq:
  /// the sender joins (or re-joins); its page goes out on the connection ahead of every delta.
  caf::replies_to<atom::subscribe, net::connection_ptr, device_query, std::uint64_t, std::string, std::string, bool,
                  std::string>::with<std::uint64_t>,
  /// (unsubscribe): the sender leaves.
  caf::reacts_to<atom::unsubscribe>,
  /// (ws_drained): the sender's connection ran empty (its held-back deltas go out merged).
  caf::reacts_to<atom::ws_drained>>;

/// The GATEWAY's LINK DIRECTORY: every PBX link of this gateway and its state.
using link_directory_actor = pbx_listener_actor::extend_with<status_actor>::extend<
  /// (tenant_of, domain) -> the linked tenant of that system name, or "".
  caf::replies_to<atom::tenant_of, std::string>::with<std::string>>;

} // namespace mpk

// The handles that travel inside messages between nodes (a watcher in (watch …) to a phone-session
// node, a PBX link in (pbx_up …) to the registry node): a type missing on either side of a BASP
// link empties the message silently, so they get type IDs after the block of atoms.hpp and
// system_config registers both blocks.
CAF_BEGIN_TYPE_ID_BLOCK(mpk_handles, caf::id_block::mpk::end)

CAF_ADD_TYPE_ID(mpk_handles, (mpk::phone_watcher_actor))
CAF_ADD_TYPE_ID(mpk_handles, (mpk::pbx_link_actor))

CAF_END_TYPE_ID_BLOCK(mpk_handles)
