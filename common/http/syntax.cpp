#include "common/http/syntax.hpp"

namespace mpk::http::detail {

bool is_tchar(char ch) {
  auto c = static_cast<unsigned char>(ch);
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
    return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

bool is_token(std::string_view s) {
  if (s.empty())
    return false;
  for (char c : s)
    if (!is_tchar(c))
      return false;
  return true;
}

bool is_field_text(std::string_view s) {
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '\t')
      continue;
    if (c < 0x20 || c == 0x7f)
      return false;
  }
  return true;
}

bool is_target(std::string_view s) {
  if (s.empty())
    return false;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7f)
      return false;
  }
  return true;
}

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

std::optional<std::string> parse_version(std::string_view s) {
  if (s == "HTTP/1.1" || s == "HTTP/1.0")
    return std::string{s};
  return std::nullopt;
}

std::optional<std::uint64_t> parse_decimal(std::string_view s, std::uint64_t max) {
  if (s.empty())
    return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9')
      return std::nullopt;
    auto digit = static_cast<std::uint64_t>(c - '0');
    if (v > (max - digit) / 10)
      return std::nullopt;
    v = v * 10 + digit;
  }
  return v;
}

std::optional<std::uint64_t> parse_content_length(std::string_view value, bool& conflict) {
  std::optional<std::uint64_t> result;
  // RFC 9110 §8.6: a list of identical values may be accepted as that one value.
  while (true) {
    auto comma = value.find(',');
    auto item = trim_ows(value.substr(0, comma));
    auto v = parse_decimal(item, UINT64_MAX);
    if (!v)
      return std::nullopt;
    if (result && *result != *v)
      conflict = true;
    result = v;
    if (comma == std::string_view::npos)
      break;
    value.remove_prefix(comma + 1);
  }
  return result;
}

std::optional<std::uint64_t> parse_chunk_size(std::string_view line, std::uint64_t max) {
  std::size_t i = 0;
  std::uint64_t v = 0;
  for (; i < line.size(); ++i) {
    char c = line[i];
    unsigned digit;
    if (c >= '0' && c <= '9')
      digit = static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f')
      digit = static_cast<unsigned>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      digit = static_cast<unsigned>(c - 'A' + 10);
    else
      break;
    if (v > (max >> 4))  // the next shift would pass max (and cannot overflow)
      return std::nullopt;
    v = (v << 4) | digit;
    if (v > max)
      return std::nullopt;
  }
  if (i == 0)
    return std::nullopt;
  auto rest = trim_ows(line.substr(i));
  if (rest.empty())
    return v;
  // Chunk extensions are ignored, but must be well-formed text after a ';'.
  if (rest.front() != ';' || !is_field_text(rest))
    return std::nullopt;
  return v;
}

field_line split_field_line(std::string_view line) {
  field_line out;
  if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
    out.error = "obsolete header line folding";
    return out;
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos) {
    out.error = "header line without ':'";
    return out;
  }
  out.name = line.substr(0, colon);
  if (!is_token(out.name)) {
    out.error = "bad header name";
    return out;
  }
  out.value = trim_ows(line.substr(colon + 1));
  if (!is_field_text(out.value))
    out.error = "bad character in header value";
  return out;
}

}  // namespace mpk::http::detail
