#pragma once
/// SHA-256 (OpenSSL libcrypto): the hash of every AppWebsocket and sysclient digest.

#include <string>
#include <string_view>

namespace mpk::crypto {

/// The 32 raw digest bytes of `data`.
std::string sha256(std::string_view data);

/// The digest as 64 lowercase hex characters (the form every innovaphone protocol sends).
std::string sha256_hex(std::string_view data);

} // namespace mpk::crypto
