#pragma once
/// The registry service: one `registry` actor owning the model of every domain and device, and
/// one `devices_link` per granted Devices instance per tenant (spawned and supervised by it).
///
/// Messages (atoms in mpk::atom, types in common/actors/messages.hpp):
/// - (pbx_up, pbx_info, actor pbx_link): ensure one devices_link per granted devices-api service
///   of that tenant, hand it the (new) PBX link, reconnect on a changed URL, stop the others.
/// - (pbx_down, string tenant, actor pbx_link): that PBX link is gone; links keep their sockets.
/// - (query, device_query) -> device_page
/// - (subscribe, device_query, uint64 resume_from) -> device_page, then device_delta messages.
/// - (unsubscribe)
/// - (domains, vector<string> tenants) -> vector<domain_summary>
/// - (target, string device, vector<string> tenants) -> phone_target | error
/// - (watch_tgt, string device) -> phone_target, then one after every change; (unwatch_tgt, string device)
/// - (status[, tenant_scope]) -> string JSON of the links (of those tenants); (log_status[, scope])
///   writes it to the log.
/// - (pin_cert, string link, string sha256 hex) -> string JSON: writes the pin (tls.pin-file) and
///   reconnects the link trusting exactly that certificate.
/// - INTERNAL: (link_event, link_update) from devices_links.
/// - INTERNAL: (tick, string link, uint64 epoch) a link's stale grace period is over.

#include "common/net/connection.hpp"
#include "common/net/tls_pins.hpp"

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <chrono>
#include <cstddef>

namespace mpk::models { class catalog; }
namespace mpk::net { class io_runtime; }

namespace mpk::registry {

struct registry_options {
  net::io_runtime* io = nullptr;          ///< required: the devices_links' websockets run on it
  net::tls_client_options tls;
  net::tls_pins pins;                     ///< per Devices instance; the status panel's action adds to its file
  std::chrono::milliseconds backoff_min{500}, backoff_max{30000};
  /// A devices-api link that gets no frame for this long while connecting or loading reconnects.
  std::chrono::milliseconds phase_timeout{30000};
  std::size_t event_log = 10000;          ///< deltas kept for resume
  /// A link down this long marks its devices stale; one back at `loading` within it (a Devices
  /// restart) reloads and only the real differences are published. 0 marks them at once.
  std::chrono::milliseconds stale_grace{2000};
  const models::catalog* catalog = nullptr;  ///< not needed by the registry itself (yet)
};

/// Spawns the registry. With `io == nullptr` the actor stops at once with a clear error.
caf::actor spawn_registry(caf::actor_system& sys, registry_options opts);

} // namespace mpk::registry
