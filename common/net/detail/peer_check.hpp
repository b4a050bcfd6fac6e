#pragma once
// Internal: what an outgoing TLS connection accepts of its peer's certificate, and why it refused.
//
// Without a pin: a chain to a trusted CA (system store + tls.ca-file) and the URL's host name
// (Beast 1.74's examples check neither). With a pin: exactly the certificate whose SHA-256
// fingerprint the operator pinned, whoever issued it: an App Platform's self-signed certificate
// is trusted by its fingerprint, and a changed certificate is refused however well it chains.

#include "common/net/detail/asio.hpp"

#include <memory>
#include <string>

namespace mpk::net::detail {

/// Installs the check on `stream` before its handshake. On a refusal, `*failure` receives the
/// operator's words: "certificate not trusted: <subject>, SHA-256 fingerprint <fp> (<reason>)".
void check_peer(beast::ssl_stream<beast::tcp_stream>& stream, const std::string& host, const tls_client_options& opts,
                std::shared_ptr<std::string> failure);

/// `context` ("TLS handshake with <host>") plus the refusal's words when the check refused, else
/// plus the error's plain words.
std::string handshake_failure(const std::string& context, const std::string& failure, const error_code& ec);

} // namespace mpk::net::detail
