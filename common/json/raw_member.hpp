#pragma once
/// Internal helper of envelope::raw(): locates a top-level member's value text in a JSON object.

#include <cstddef>
#include <optional>
#include <string_view>

namespace mpk::json::detail {

/// The exact value text (no surrounding whitespace) of the `index`-th member (0-based, in text
/// order) of the JSON object `text`. nullopt if `text` is not an object or has fewer members.
/// Written for already-validated JSON but bounds-checked on every step, so any input is safe.
std::optional<std::string_view> raw_member_at(std::string_view text, std::size_t index);

} // namespace mpk::json::detail
