#pragma once
/// The simulated myApps shell under /shell/ on the simulator's port: an index of tenants and users,
/// the page embedding the app for one user, and the login endpoint that page fetches.

#include "common/net/connection.hpp"
#include "sim/pbx/pbx_sim.hpp"

#include <memory>
#include <optional>
#include <vector>

namespace mpk::sim {

/// Serves /shell/... (the myApps shell page and its login endpoint) for the given PBXs; nullopt if the path is not the
/// shell's.
///  - GET /shell/                         index: each PBX with its link state and its users
///  - GET /shell/?pbx=<system_name>&user=<sip>   the app in an iframe, answering its getLogin
///  - GET /shell/login?pbx=&user=&app=&challenge=   AppGetLoginResult JSON (pbx_sim::app_get_login);
///    unknown PBX or user → 404 {"mt":"AppGetLoginResult","error":"unknown pbx"|"unknown user",...}
std::optional<net::http_reply> shell_http(const net::http_request_info& req,
                                          const std::vector<std::shared_ptr<pbx_sim>>& pbxs);

} // namespace mpk::sim
