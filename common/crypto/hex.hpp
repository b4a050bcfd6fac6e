#pragma once
/// Hex encoding of byte strings (digests, RC4 ciphertext, GUIDs).

#include <optional>
#include <string>
#include <string_view>

namespace mpk::crypto {

/// Lowercase hex of every byte: 2 characters per input byte.
std::string to_hex(std::string_view bytes);

/// Decodes hex (upper or lower case). nullopt on odd length or any non-hex character.
std::optional<std::string> from_hex(std::string_view hex);

} // namespace mpk::crypto
