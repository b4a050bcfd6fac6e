#include "common/http/url.hpp"

namespace mpk::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_unreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

std::optional<std::string> decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) // needs two hex digits after '%'
        return std::nullopt;
      int hi = hex_value(text[i + 1]);
      int lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

} // namespace

std::string url_encode(std::string_view text, bool keep_slash) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (char c : text) {
    if (is_unreserved(c) || (keep_slash && c == '/')) {
      out.push_back(c);
    } else {
      auto b = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(digits[b >> 4]);
      out.push_back(digits[b & 0x0F]);
    }
  }
  return out;
}

std::optional<std::string> url_decode(std::string_view text, bool plus_is_space) { return decode(text, plus_is_space); }

std::optional<target_parts> split_target(std::string_view target) {
  if (target.empty() || target.front() != '/') return std::nullopt;
  target = target.substr(0, target.find('#'));
  auto qmark = target.find('?');
  target_parts parts;
  auto path = decode(target.substr(0, qmark), false);
  if (!path) return std::nullopt;
  parts.path = std::move(*path);
  if (qmark == std::string_view::npos) return parts;
  auto query = target.substr(qmark + 1);
  while (!query.empty()) {
    auto amp = query.find('&');
    auto pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    auto key = decode(pair.substr(0, eq), true);
    auto value =
      eq == std::string_view::npos ? std::optional<std::string>{std::string{}} : decode(pair.substr(eq + 1), true);
    if (!key || !value) return std::nullopt;
    parts.query.emplace_back(std::move(*key), std::move(*value));
  }
  return parts;
}

std::optional<std::string_view> query_value(const target_parts& parts, std::string_view key) {
  for (const auto& [k, v] : parts.query)
    if (k == key) return std::string_view{v};
  return std::nullopt;
}

std::vector<std::string_view> path_segments(std::string_view path) {
  path = path.substr(0, path.find_first_of("?#"));
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < path.size()) {
    auto j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

} // namespace mpk::http
