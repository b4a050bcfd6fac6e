#pragma once
// The login gate of every connection on the App Service port: AppChallenge → AppLogin (or the
// PBX Manager's AppCheckLogin). What logs in is decided by what signs the login (login_form.hpp):
// a PBX link becomes a pbx_link; a myApps user, an operator or a tenant's App object password
// becomes a client_session with the scope that login earns. Nothing else is answered before.

#include "common/actors/ws_bridge.hpp"
#include "services/gateway/gateway_context.hpp"

#include <caf/actor_system.hpp>

#include <memory>

namespace mpk::gateway {

/// Spawns the login gate for a new connection and points `bridge` at it.
void spawn_app_login(caf::actor_system& sys, std::shared_ptr<gateway_context> ctx, std::shared_ptr<ws_bridge> bridge);

/// Who logged in, as the digest proved it.
struct login_identity {
  /// pbx: a PBX link. user: a myApps user issued by a PBX (scope: that PBX). op: the operator's
  /// password (scope: every tenant). tenant_admin: a password login with the App object password
  /// of the tenant whose URL it arrived on (scope: that tenant).
  enum class kind { pbx, user, op, tenant_admin } who = kind::user;
  std::string app, domain, sip, guid, dn, pbx_obj;
  std::string info;        ///< raw compact info JSON ("" = none)
  std::string session_key; ///< of this connection (unwraps GetServiceLogin keys on a PBX link)
  std::string tenant;      ///< scope: the PBX system name; "" only for operators
  std::string pbx;         ///< info.pbx
  bool test_mode = false;
  std::int64_t lics = -1;       ///< info.lics of a PBX link: Service licences of the App object (-1: not sent)
  bool shared_password = false; ///< verified with the shared gateway.password
};

} // namespace mpk::gateway
