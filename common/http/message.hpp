#pragma once
/// HTTP/1.1 message types shared by the parsers and the serializer.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mpk::http {

/// Header fields in arrival order; names keep their case, lookups ignore it.
struct header_list {
  std::vector<std::pair<std::string, std::string>> items;

  /// Value of the first field named `name` (case-insensitive).
  std::optional<std::string_view> get(std::string_view name) const;
  /// Replaces the first field named `name` and drops later duplicates, or appends it.
  void set(std::string name, std::string value);
  /// Removes every field named `name`; returns how many were removed.
  std::size_t erase(std::string_view name);
};

struct request {
  std::string method, target, version = "HTTP/1.1";
  header_list headers;
  std::string body;
};

struct response {
  int status = 200;
  std::string reason = "OK";
  std::string version = "HTTP/1.1";
  header_list headers;
  std::string body;
};

/// Bounds of one message: start line + header fields (and, separately, a chunk line or the
/// chunked trailers), and the decoded body.
struct limits {
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 8 * 1024 * 1024;
};

enum class parse_state { need_more, complete, error };

/// ASCII case-insensitive comparison (header names, tokens).
bool iequals(std::string_view a, std::string_view b);

} // namespace mpk::http
