#pragma once
/// One devices_link per granted Devices instance per tenant: connects, logs in through the PBX
/// link (GetServiceLogin), loads domains and devices and follows their pushes, reconnecting with
/// backoff for ever. It reports everything to the registry as (link_event, link_update).

#include "common/actors/interfaces.hpp"
#include "common/net/connection.hpp"

#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>
#include <caf/fwd.hpp>

#include <chrono>
#include <string>

namespace mpk::net {
class io_runtime;
}

namespace mpk::registry {

struct devices_link_options {
  std::string id; ///< "<tenant>/<service name>"
  std::string tenant;
  std::string service; ///< the service's SIP name: `app` of GetServiceLogin
  std::string url;     ///< websocket URL of the Devices instance
  net::io_runtime* io = nullptr;
  net::tls_client_options tls;
  std::chrono::milliseconds backoff_min{500}, backoff_max{30000};
  /// Without an answer for this long while connecting or loading, the attempt counts as failed.
  std::chrono::milliseconds phase_timeout{30000};
  caf::actor_addr registry; ///< weak: the registry owns the link, not the other way round
  pbx_link_actor pbx;       ///< the PBX link that answers svc_login (may be null: waiting-pbx)
};

/// Spawns the link (it starts connecting at once). Also handles
/// (pbx_up, pbx_info, pbx_link_actor): new PBX link handle, reconnect if its URL changed;
/// (pbx_down, string tenant, pbx_link_actor): forget that PBX link handle.
caf::actor spawn_devices_link(caf::actor_system& sys, devices_link_options opts);

} // namespace mpk::registry
