#pragma once
/// RC4 stream cipher, as required by innovaphone's encrypt/decrypt helpers (session key wrap,
/// admin password transport). Not a security choice of ours: the protocols fix it.

#include <string>
#include <string_view>

namespace mpk::crypto {

/// RC4 keystream XOR `data` (encryption and decryption are the same operation).
/// An empty key yields `data` unchanged (RC4 is undefined for it; no peer uses one).
std::string rc4(std::string_view key, std::string_view data);

} // namespace mpk::crypto
