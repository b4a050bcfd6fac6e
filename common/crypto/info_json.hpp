#pragma once
/// The two text forms of the AppLogin `info` object that can enter the login digest
/// (docs/spec/appwebsocket.md §2.3). Self-contained on purpose: mpk_crypto does not pull in a JSON library.

#include <optional>
#include <string>
#include <string_view>

namespace mpk::crypto {

/// Compact JSON text: strips whitespace outside strings, keeps member order and the original
/// escapes. Does not validate; any input is accepted and never read past its end.
std::string compact_json(std::string_view raw_json);

/// Canonical re-serialisation (member order kept; escape only " \ and control chars; / and
/// non-ASCII literal; \uXXXX decoded) — the JSON.stringify form. Numbers are kept as written.
/// nullopt if `raw_json` is not one valid JSON value (or nests deeper than 256 levels).
std::optional<std::string> canonical_json(std::string_view raw_json);

} // namespace mpk::crypto
