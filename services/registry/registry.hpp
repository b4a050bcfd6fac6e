#pragma once
/// The registry service: one `registry` actor owning the model of every domain and device, and
/// one `devices_link` per granted Devices instance per tenant (spawned and supervised by it).
///
/// Its interface is `mpk::registry_actor` (common/actors/interfaces.hpp: the messages and their
/// answers); what only the registry and its links send it is in registry_state.hpp.

#include "common/actors/interfaces.hpp"
#include "common/net/connection.hpp"
#include "common/net/tls_pins.hpp"

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <chrono>
#include <cstddef>

namespace mpk::models {
class catalog;
}
namespace mpk::net {
class io_runtime;
}

namespace mpk::registry {

struct registry_options {
  net::io_runtime* io = nullptr; ///< required: the devices_links' websockets run on it
  net::tls_client_options tls;
  net::tls_pins pins; ///< per Devices instance; the status panel's action adds to its file
  std::chrono::milliseconds backoff_min{500}, backoff_max{30000};
  /// A devices-api link that gets no frame for this long while connecting or loading reconnects.
  std::chrono::milliseconds phase_timeout{30000};
  std::size_t event_log = 10000; ///< deltas kept for resume
  /// A link down this long marks its devices stale; one back at `loading` within it (a Devices
  /// restart) reloads and only the real differences are published. 0 marks them at once.
  std::chrono::milliseconds stale_grace{2000};
  const models::catalog* catalog = nullptr; ///< not needed by the registry itself (yet)
};

/// Spawns the registry. With `io == nullptr` the actor stops at once with a clear error.
registry_actor spawn_registry(caf::actor_system& sys, registry_options opts);

} // namespace mpk::registry
