#pragma once
/// Crypto of the Devices sysclient admin link (docs/spec/devices-api.md §5.3): identify digest and
/// the RC4-wrapped administrative password.

#include <optional>
#include <string>
#include <string_view>

namespace mpk::crypto {

/// hex(SHA256(id ":" product ":" version ":" challenge ":" password)), 64 lowercase hex;
/// fields exactly as sent in identify, password = the stored sysclient password.
std::string sysclient_digest(std::string_view id, std::string_view product, std::string_view version,
                             std::string_view challenge, std::string_view password);

/// RC4(key = seed ":" sysclient_password, data = hexdecode(pwd_hex)). nullopt if `pwd_hex` is not hex.
/// (The hex is decoded first, as docs/spec/devices-api.md §5.3 says; one third-party client gets
/// this wrong.)
std::optional<std::string> decrypt_admin_password(std::string_view seed, std::string_view pwd_hex,
                                                  std::string_view sysclient_password);

/// Inverse of decrypt_admin_password: lowercase hex of RC4(seed ":" sysclient_password, plaintext).
std::string encrypt_admin_password(std::string_view seed, std::string_view plaintext,
                                   std::string_view sysclient_password);

} // namespace mpk::crypto
