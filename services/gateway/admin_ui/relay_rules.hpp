#pragma once
// The rules of the admin-UI relay as pure functions: how the browser's path maps onto the
// phone's, which request fields go to the phone, how the phone's answer is rewritten so that
// everything stays inside the relay prefix and nothing of the passthrough (its key, its URL)
// reaches the browser. docs/app-protocol.md §"Admin UI relay" describes them.

#include "common/net/connection.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mpk::gateway::admin_ui {

/// The cookie that binds a relay session to one browser.
inline constexpr std::string_view cookie_name = "mpk_admin_ui";

/// One relayed request, as the rewriting of its answer needs it.
struct relay_paths {
  std::string prefix;        ///< "/<domain>/<instance>/admin/<id>/": the phone's "/" in the browser
  std::string phone_target;  ///< the request as the phone gets it, e.g. "/ADMIN/settings?x=1"
  std::string upstream_base; ///< the passthrough base, key included: "http://h:p/<d>/<i>/passthrough/<hw>/<key>/"
  std::string phone_host;    ///< the phone's address (its own absolute URLs may name it)
};

/// The phone's request target for a browser target under `prefix` (query kept, nothing
/// decoded); nullopt when the target is not under the prefix or a segment is "." or ".." in any
/// spelling (the passthrough URL must never be left upwards).
std::optional<std::string> phone_target_of(std::string_view target, std::string_view prefix);

/// The value of cookie `name` in the request's Cookie fields ("" when absent).
std::string cookie_value(const net::header_fields& fields, std::string_view name);

/// The fields sent to the phone: end-to-end ones as the browser sent them, except the relay's
/// own cookie, the browser's view of addresses (Origin, Referer, Forwarded, X-Forwarded-*) and
/// compression (identity, so that the relay can mask secrets in bodies).
net::header_fields request_fields(const net::header_fields& in);

/// Rewrites the phone's answer fields in place for the browser.
void response_fields(net::header_fields& fields, const relay_paths& p);

/// A URL the phone sent (Location, Content-Location, Refresh): into the prefix when it names
/// the phone (absolute path, relative reference, the phone's own or the passthrough's address);
/// a link to another site stays.
std::string rewrite_url(std::string_view value, const relay_paths& p);

/// A Set-Cookie of the phone with its Path inside the prefix and no Domain; nullopt drops it
/// (a cookie named like the relay's own).
std::optional<std::string> rewrite_set_cookie(std::string_view value, const relay_paths& p);

/// What no response body may carry: the passthrough key and the passthrough URL.
std::vector<std::string> secrets_of(std::string_view upstream_base);

/// Does this request go to the audit log? Every method but GET, and a GET of a raw command line
/// (`/!config write`, also spelled `/%21…`): the phone runs it as typed at its console.
bool audited(std::string_view method, std::string_view phone_target);

/// "POST /ADMIN/settings?pwd=***" for the audit log: password-like query values masked, bounded.
std::string audit_what(std::string_view method, std::string_view phone_target);

/// For a request outside every relay whose Referer is a page inside one (an absolute link of
/// the phone's): that relay's prefix. `host` is the request's Host; the Referer must name it.
std::optional<std::string> referring_relay(std::string_view referer, std::string_view host);

/// The Set-Cookie value of a new relay session.
std::string session_cookie(std::string_view secret, std::string_view prefix, bool secure);

/// Is `id` shaped like a relay session id (16 lowercase hex)?
bool is_session_id(std::string_view id);

} // namespace mpk::gateway::admin_ui
