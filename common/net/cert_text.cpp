#include "common/net/cert_text.hpp"

#include <cctype>

namespace mpk::net {

namespace {

constexpr std::size_t sha256_hex_digits = 64;

/// The hex digits of `text` in lower case, colons skipped; nullopt on any other character.
std::optional<std::string> hex_digits(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == ':') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

} // namespace

std::string fingerprint_display(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i < hex.size(); ++i) {
    if (i > 0 && i % 2 == 0) out += ':';
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(hex[i])));
  }
  return out;
}

std::optional<std::string> parse_pin(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  constexpr std::string_view scheme = "sha256/";
  if (text.size() < scheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < scheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != scheme[i]) return std::nullopt;
  auto hex = hex_digits(text.substr(scheme.size()));
  if (!hex || hex->size() != sha256_hex_digits) return std::nullopt;
  return hex;
}

std::string pin_text(std::string_view hex) { return "sha256/" + std::string(hex); }

std::string fingerprint_in(std::string_view failure_text) {
  auto at = failure_text.find(cert_failure::fingerprint_label);
  if (at == std::string_view::npos) return {};
  auto rest = failure_text.substr(at + cert_failure::fingerprint_label.size());
  auto end = rest.find_first_not_of("0123456789abcdefABCDEF:");
  auto hex = hex_digits(rest.substr(0, end));
  return hex && hex->size() == sha256_hex_digits ? *hex : std::string();
}

} // namespace mpk::net
