#pragma once
// How a peer certificate is named to an operator: its SHA-256 fingerprint as browsers show it
// ("AB:CD:…") and as a pin is written ("sha256/<hex>"), and the words of a refused handshake.

#include <optional>
#include <string>
#include <string_view>

namespace mpk::net {

/// "abcd…" (64 hex digits) → "AB:CD:…", the form browsers and `openssl x509 -fingerprint` show.
std::string fingerprint_display(std::string_view hex);

/// A pin as an operator may write it: "sha256/<hex>", the hex with or without colons, either
/// case → the 64 lower-case hex digits; nullopt for anything else.
std::optional<std::string> parse_pin(std::string_view text);

/// 64 lower-case hex digits → "sha256/<hex>", the form the pin file holds.
std::string pin_text(std::string_view hex);

/// The fingerprint named in a refused handshake's text ("…, SHA-256 fingerprint AB:CD:…"), as
/// lower-case hex; "" when the text names none. Lets a status offer "trust this certificate".
std::string fingerprint_in(std::string_view failure_text);

/// The words every refused certificate is reported with (client.cpp, http_client.cpp).
namespace cert_failure {
constexpr std::string_view not_trusted = "certificate not trusted";
constexpr std::string_view wrong_host = "certificate not valid for this host name";
constexpr std::string_view pin_mismatch = "certificate does not match the pinned fingerprint";
constexpr std::string_view fingerprint_label = "SHA-256 fingerprint ";
} // namespace cert_failure

} // namespace mpk::net
