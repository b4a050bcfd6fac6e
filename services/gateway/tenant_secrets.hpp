#pragma once
// Isolation between tenants rests on each PBX having its own App object password: with one shared
// `gateway.password`, the administrator of one PBX knows the secret another PBX logs in with
// (docs/security.md "One password per tenant"). What the gateway says about it, and when it
// refuses to start (`gateway.require-tenant-passwords`).

#include "services/gateway/gateway_context.hpp"

#include <string>
#include <vector>

namespace mpk::gateway {

/// Why the configuration may not start ("" if it may), and the warnings to log at start.
std::string check_tenant_secrets(const gateway_options& o, std::vector<std::string>& warnings);

/// The warnings of a PBX link status (link_directory's JSON array): several tenants up on the
/// shared password. Empty when there is nothing to say.
std::vector<std::string> shared_password_warnings(const std::string& pbx_status_json);

} // namespace mpk::gateway
