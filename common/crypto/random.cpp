#include "common/crypto/random.hpp"

#include "common/crypto/hex.hpp"

#include <openssl/rand.h>

#include <climits>
#include <stdexcept>

namespace mpk::crypto {

namespace {

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  std::size_t done = 0;
  // RAND_bytes takes an int length: feed huge requests in chunks.
  while (done < n) {
    std::size_t chunk = n - done;
    if (chunk > static_cast<std::size_t>(INT_MAX)) chunk = static_cast<std::size_t>(INT_MAX);
    if (RAND_bytes(reinterpret_cast<unsigned char*>(&out[done]), static_cast<int>(chunk)) != 1)
      throw std::runtime_error("OpenSSL RAND_bytes failed: no secure random numbers available");
    done += chunk;
  }
  return out;
}

} // namespace

std::string random_hex(std::size_t bytes) { return to_hex(random_bytes(bytes)); }

std::string make_challenge() { return random_hex(8); }

std::string make_guid() {
  std::string b = random_bytes(16);
  b[6] = static_cast<char>((static_cast<unsigned char>(b[6]) & 0x0f) | 0x40); // version 4
  b[8] = static_cast<char>((static_cast<unsigned char>(b[8]) & 0x3f) | 0x80); // RFC 4122 variant
  std::string h = to_hex(b);
  return h.substr(0, 8) + '-' + h.substr(8, 4) + '-' + h.substr(12, 4) + '-' + h.substr(16, 4) + '-' + h.substr(20, 12);
}

} // namespace mpk::crypto
