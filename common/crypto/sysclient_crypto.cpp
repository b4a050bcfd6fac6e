#include "common/crypto/sysclient_crypto.hpp"

#include "common/crypto/hex.hpp"
#include "common/crypto/rc4.hpp"
#include "common/crypto/sha256.hpp"

namespace mpk::crypto {

std::string sysclient_digest(std::string_view id, std::string_view product, std::string_view version,
                             std::string_view challenge, std::string_view password) {
  std::string s;
  s.reserve(id.size() + product.size() + version.size() + challenge.size() + password.size() + 4);
  s.append(id).append(1, ':').append(product).append(1, ':').append(version).append(1, ':');
  s.append(challenge).append(1, ':').append(password);
  return sha256_hex(s);
}

namespace {

std::string rc4_key(std::string_view seed, std::string_view sysclient_password) {
  std::string k;
  k.reserve(seed.size() + sysclient_password.size() + 1);
  k.append(seed).append(1, ':').append(sysclient_password);
  return k;
}

} // namespace

std::optional<std::string> decrypt_admin_password(std::string_view seed, std::string_view pwd_hex,
                                                  std::string_view sysclient_password) {
  auto bytes = from_hex(pwd_hex);
  if (!bytes) return std::nullopt;
  return rc4(rc4_key(seed, sysclient_password), *bytes);
}

std::string encrypt_admin_password(std::string_view seed, std::string_view plaintext,
                                   std::string_view sysclient_password) {
  return to_hex(rc4(rc4_key(seed, sysclient_password), plaintext));
}

} // namespace mpk::crypto
