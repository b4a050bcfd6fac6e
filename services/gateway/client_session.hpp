#pragma once
// One browser (myApps app) connected to us after a successful user or operator login:
// the app protocol of docs/app-protocol.md on top of the AppWebsocket envelope.

#include "services/gateway/app_login.hpp"

namespace mpk::gateway {

/// Takes over a connection whose AppLogin proved a user (or an operator); answers AppLoginResult first.
caf::actor spawn_client_session(caf::actor_system& sys, std::shared_ptr<gateway_context> ctx, net::connection_ptr conn,
                                std::shared_ptr<ws_bridge> bridge, login_identity id, std::string src);

} // namespace mpk::gateway
