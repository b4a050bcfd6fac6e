#pragma once
/// Percent-encoding (RFC 3986) and request-target splitting.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mpk::http {

/// Percent-encodes every byte except the unreserved ALPHA / DIGIT / "-" / "." / "_" / "~"
/// (and '/' when `keep_slash`, for path segments).
std::string url_encode(std::string_view text, bool keep_slash = false);

/// Decodes %xx escapes; '+' stays '+' (paths) unless `plus_is_space` (query strings);
/// nullopt on a bad or truncated escape.
std::optional<std::string> url_decode(std::string_view text, bool plus_is_space = false);

/// A request target split into its decoded path and query pairs (in order, duplicates kept).
struct target_parts {
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
};

/// Splits an origin-form target ("/path?a=1&b=x+y"). In the query, '+' is a space and a key
/// without '=' has an empty value; empty pairs ("&&") are skipped; a "#fragment" is dropped.
/// nullopt when the target does not start with '/' or an escape is bad.
std::optional<target_parts> split_target(std::string_view target);

/// The non-empty '/'-separated segments of a path or target, up to its "?query" / "#fragment"
/// ("/a//b/?x" → {"a", "b"}); not decoded. Views into `path`.
std::vector<std::string_view> path_segments(std::string_view path);

/// The value of the first query pair named `key` (exact match).
std::optional<std::string_view> query_value(const target_parts& parts, std::string_view key);

} // namespace mpk::http
