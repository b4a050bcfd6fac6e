#pragma once
/// Unpredictable values from OpenSSL's CSPRNG: login challenges, GUIDs, seeds.

#include <cstddef>
#include <string>

namespace mpk::crypto {

/// An AppWebsocket login challenge: 16 lowercase hex characters (docs/spec/appwebsocket.md §2.1:
/// at most 16 single-byte characters; the PBX accepts hex). Throws std::runtime_error only if the
/// CSPRNG fails: we never fall back to a predictable challenge.
std::string make_challenge();

/// `bytes` random bytes as 2*bytes lowercase hex characters. Throws like make_challenge().
std::string random_hex(std::size_t bytes);

/// A random (version 4) UUID in 8-4-4-4-12 lowercase hex form. Throws like make_challenge().
std::string make_guid();

} // namespace mpk::crypto
