#pragma once
/// What may be shown of a URL or an error text in a status, a log line or an answer to a browser:
/// never a passthrough session key, never a password in a URL.

#include <string>
#include <string_view>

namespace mpk::log {

/// `url` without `user:password@` and without its query and fragment (where tokens travel):
/// "wss://u:p@host:443/a/b?key=1" → "wss://host:443/a/b".
std::string url_for_display(std::string_view url);

/// `text` with every passthrough session key (".../passthrough/<hwId>/<key>/…" → ".../passthrough/<hwId>/…/…")
/// and every `user:password@` of a URL in it removed.
std::string without_secrets(std::string_view text);

} // namespace mpk::log
