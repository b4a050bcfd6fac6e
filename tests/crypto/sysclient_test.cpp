// docs/spec/devices-api.md §5.3: sysclient identify digest and admin password transport.
#include "common/crypto/sysclient_crypto.hpp"

#include <catch2/catch.hpp>

using namespace mpk::crypto;

namespace {
const std::string sys_pw = "0123456789abcdef0123456789abcdef";
}

TEST_CASE("sysclient identify digest vector") {
  CHECK(sysclient_digest("009033460af2", "IP222", "13r2 dvl [13.4250/131286/1300]", "1234567890", sys_pw) ==
        "6582537c4035f3a189d7e0895f810743d4292ad1453bad65f34f8fc283d22f5a");
  CHECK(sysclient_digest("009033460af2", "IP222", "13r2 dvl [13.4250/131286/1300]", "1234567891", sys_pw) !=
        "6582537c4035f3a189d7e0895f810743d4292ad1453bad65f34f8fc283d22f5a");
}

TEST_CASE("sysclient admin password RC4 vector") {
  CHECK(encrypt_admin_password("fedcba9876543210", "secret", sys_pw) == "e80610c12833");
  CHECK(decrypt_admin_password("fedcba9876543210", "e80610c12833", sys_pw) == std::string("secret"));
  CHECK(decrypt_admin_password("fedcba9876543210", "E80610C12833", sys_pw) == std::string("secret"));
}

TEST_CASE("sysclient admin password refuses malformed hex") {
  CHECK_FALSE(decrypt_admin_password("fedcba9876543210", "e80610c1283", sys_pw));
  CHECK_FALSE(decrypt_admin_password("fedcba9876543210", "secret", sys_pw));
}
