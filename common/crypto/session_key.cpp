#include "common/crypto/session_key.hpp"

#include "common/crypto/hex.hpp"
#include "common/crypto/rc4.hpp"
#include "common/crypto/sha256.hpp"

namespace mpk::crypto {

namespace {

std::string join(std::string_view a, std::string_view b) {
  std::string s;
  s.reserve(a.size() + b.size() + 1);
  s.append(a).append(1, ':').append(b);
  return s;
}

} // namespace

std::string session_key(std::string_view challenge, std::string_view password) {
  return sha256_hex(join(join("innovaphoneAppSessionKey", challenge), password));
}

std::string encrypt(std::string_view seed, std::string_view text, std::string_view session_key) {
  return to_hex(rc4(join(seed, session_key), text));
}

std::optional<std::string> decrypt(std::string_view seed, std::string_view hex, std::string_view session_key) {
  auto bytes = from_hex(hex);
  if (!bytes) return std::nullopt;
  return rc4(join(seed, session_key), *bytes);
}

std::string hash(std::string_view seed, std::string_view text, std::string_view session_key) {
  return sha256_hex(join(join(seed, session_key), text));
}

} // namespace mpk::crypto
