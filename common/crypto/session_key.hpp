#pragma once
/// The AppWebsocket session key and its encrypt/decrypt/hash helpers (docs/spec/appwebsocket.md §2.4, §4 step 6).

#include <optional>
#include <string>
#include <string_view>

namespace mpk::crypto {

/// hex(SHA256("innovaphoneAppSessionKey:" challenge ":" password)), 64 lowercase hex.
std::string session_key(std::string_view challenge, std::string_view password);

/// hex(RC4(key = seed ":" session_key, data = text)), lowercase.
std::string encrypt(std::string_view seed, std::string_view text, std::string_view session_key);

/// Inverse of encrypt(). nullopt if `hex` is not valid hex. The result is the raw plaintext bytes.
std::optional<std::string> decrypt(std::string_view seed, std::string_view hex, std::string_view session_key);

/// hex(SHA256(seed ":" session_key ":" text)), 64 lowercase hex.
std::string hash(std::string_view seed, std::string_view text, std::string_view session_key);

} // namespace mpk::crypto
