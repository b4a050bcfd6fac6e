#pragma once
/// Digest comparison that does not leak, through timing, how much of a guess was right.

#include <string_view>

namespace mpk::crypto {

/// True if `a` and `b` are equal, ASCII letters compared case-insensitively (peers may send
/// upper-case hex). Time depends only on the length; a length mismatch returns false at once
/// (the length of a digest is public).
bool digest_equal(std::string_view a, std::string_view b);

} // namespace mpk::crypto
