#include "common/crypto/sha256.hpp"

#include "common/crypto/hex.hpp"

#include <openssl/evp.h>

namespace mpk::crypto {

std::string sha256(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // EVP_Digest is the one-shot API that is not deprecated in OpenSSL 3;
  // it only fails on allocation failure, where an empty result is the clearest answer.
  if (EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr) != 1) return {};
  return std::string(reinterpret_cast<const char*>(md), len);
}

std::string sha256_hex(std::string_view data) { return to_hex(sha256(data)); }

} // namespace mpk::crypto
