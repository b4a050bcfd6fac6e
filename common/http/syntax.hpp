#pragma once
/// Character classes and small grammar pieces of RFC 9110/9112 used by the parsers.
/// Everything here is total: no function reads outside its argument or throws.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mpk::http::detail {

/// tchar of RFC 9110 §5.6.2 (method names, header names, transfer codings).
bool is_tchar(char c);
/// A non-empty token.
bool is_token(std::string_view s);
/// Field value / reason phrase characters: HTAB, SP, VCHAR, obs-text (no CR, LF, NUL, DEL).
bool is_field_text(std::string_view s);
/// Request-target characters: visible ASCII only, non-empty.
bool is_target(std::string_view s);

/// Strips optional whitespace (SP / HTAB) on both sides.
std::string_view trim_ows(std::string_view s);

/// "HTTP/1.0" or "HTTP/1.1" (the only versions this parser speaks); nullopt otherwise.
std::optional<std::string> parse_version(std::string_view s);

/// 1*DIGIT without sign or spaces, no overflow of `max` → value.
std::optional<std::uint64_t> parse_decimal(std::string_view s, std::uint64_t max);

/// The value of a Content-Length field: a list of equal decimal values ("5" or "5, 5").
/// nullopt when malformed, signed, empty or overflowing; `conflict` set when the list differs.
std::optional<std::uint64_t> parse_content_length(std::string_view value, bool& conflict);

/// A chunk-size line (without CRLF): 1*HEXDIG [ BWS ";" chunk-ext ].
/// nullopt when malformed or larger than `max`.
std::optional<std::uint64_t> parse_chunk_size(std::string_view line, std::uint64_t max);

/// One header field line "name: value" (without CRLF) → trimmed name/value, or an error text.
struct field_line {
  std::string_view name, value;
  const char* error = nullptr;  ///< set when the line is malformed
};
field_line split_field_line(std::string_view line);

}  // namespace mpk::http::detail
