#pragma once
// One PBX (tenant) connected to us: PbxInfo, AppInfo, the Services API subscription, and
// GetServiceLogin on behalf of the registry's devices_links.

#include "services/gateway/app_login.hpp"

namespace mpk::gateway {

/// Takes over a connection whose AppLogin proved a PBX; answers AppLoginResult first.
/// `src` is the raw JSON of the AppLogin's src ("" if none).
caf::actor spawn_pbx_link(caf::actor_system& sys, std::shared_ptr<gateway_context> ctx, net::connection_ptr conn,
                          std::shared_ptr<ws_bridge> bridge, login_identity id, std::string src);

} // namespace mpk::gateway
