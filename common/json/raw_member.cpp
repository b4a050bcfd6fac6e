#include "common/json/raw_member.hpp"

namespace mpk::json::detail {

namespace {

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/// A tiny cursor over the text; every step checks the end.
struct cursor {
  std::string_view s;
  std::size_t i = 0;

  bool end() const { return i >= s.size(); }
  void ws() {
    while (!end() && is_ws(s[i])) ++i;
  }
  /// At an opening quote: move past the closing quote. False if unterminated.
  bool skip_string() {
    ++i;
    while (!end()) {
      char c = s[i++];
      if (c == '\\')
        ++i; // the escaped character cannot close the string
      else if (c == '"')
        return true;
    }
    return false;
  }
  /// Move past one value (string, container with any nesting, or scalar).
  bool skip_value() {
    if (end()) return false;
    char c = s[i];
    if (c == '"') return skip_string();
    if (c == '{' || c == '[') {
      std::size_t depth = 0;
      while (!end()) {
        char d = s[i];
        if (d == '"') {
          if (!skip_string()) return false;
          continue;
        }
        ++i;
        if (d == '{' || d == '[')
          ++depth;
        else if ((d == '}' || d == ']') && --depth == 0)
          return true;
      }
      return false;
    }
    std::size_t start = i;
    while (!end() && !is_ws(s[i]) && s[i] != ',' && s[i] != '}' && s[i] != ']') ++i;
    return i > start;
  }
};

} // namespace

std::optional<std::string_view> raw_member_at(std::string_view text, std::size_t index) {
  cursor c{text};
  c.ws();
  // simdjson accepts a UTF-8 byte order mark in front of the document; skip it too.
  if (c.s.substr(c.i, 3) == "\xef\xbb\xbf") {
    c.i += 3;
    c.ws();
  }
  if (c.end() || c.s[c.i] != '{') return std::nullopt;
  ++c.i;
  for (std::size_t n = 0;; ++n) {
    c.ws();
    if (c.end() || c.s[c.i] != '"' || !c.skip_string()) return std::nullopt;
    c.ws();
    if (c.end() || c.s[c.i] != ':') return std::nullopt;
    ++c.i;
    c.ws();
    std::size_t start = c.i;
    if (!c.skip_value()) return std::nullopt;
    if (n == index) return text.substr(start, c.i - start);
    c.ws();
    if (c.end() || c.s[c.i] != ',') return std::nullopt; // '}' (no more members) or garbage
    ++c.i;
  }
}

} // namespace mpk::json::detail
