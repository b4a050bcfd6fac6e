#pragma once
// The login gate of every connection on the App Service port: AppChallenge → AppLogin.
// A PBX (no pbxObj, then PbxInfo) becomes a pbx_link; a myApps user (pbxObj) or an operator
// (password login) becomes a client_session. Nothing else is answered before a login.

#include "common/actors/ws_bridge.hpp"
#include "services/gateway/gateway_context.hpp"

#include <caf/actor_system.hpp>

#include <memory>

namespace mpk::gateway {

/// Spawns the login gate for a new connection and points `bridge` at it.
void spawn_app_login(caf::actor_system& sys, std::shared_ptr<gateway_context> ctx, std::shared_ptr<ws_bridge> bridge);

/// Who logged in, as the digest proved it.
struct login_identity {
  enum class kind { pbx, user, op } who = kind::user;
  std::string app, domain, sip, guid, dn, pbx_obj;
  std::string info;          ///< raw compact info JSON ("" = none)
  std::string session_key;   ///< of this connection (unwraps GetServiceLogin keys on a PBX link)
  std::string tenant;        ///< PBX system name the login came through ("" for operators)
  std::string pbx;           ///< info.pbx
  bool test_mode = false;
};

} // namespace mpk::gateway
