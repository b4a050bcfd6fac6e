// docs/spec/appwebsocket.md §9 vectors C1–C4: session key, encrypt/hash and the Services key wrap.
#include "common/crypto/session_key.hpp"

#include <catch2/catch.hpp>

using namespace mpk::crypto;

namespace {
const std::string c1_key = "d58c77eae0c1c1f37a9f545e207643c926ad9ea4932016a83a4a01029de37760";
}

TEST_CASE("C1 session key from challenge and password") { CHECK(session_key("0123456789abcdef", "pwd") == c1_key); }

TEST_CASE("C2 session key of the B1 PBX link") {
  CHECK(session_key("16d7dbbcccb63612", "go") == "03bb64638a9473e7b3cfd5260463fcd2245bb832f86f62af4713e7923fd62afc");
}

TEST_CASE("C3 encrypt decrypt and hash with the C1 key") {
  const std::string text = "Hello W\xc3\xb6rld";
  CHECK(encrypt("seed1", text, c1_key) == "b70a8528349fc3ab93a960a0");
  CHECK(decrypt("seed1", "b70a8528349fc3ab93a960a0", c1_key) == text);
  CHECK(decrypt("seed1", "B70A8528349FC3AB93A960A0", c1_key) == text);
  CHECK(hash("seed1", "data", c1_key) == "7b95ce920b030209be11cd7ef5e7bbe892e49dbb751963222579e37de6aae9a1");
  CHECK(decrypt("seed2", "b70a8528349fc3ab93a960a0", c1_key) != text);
}

TEST_CASE("C4 services key unwrap gives the inner key back") {
  const std::string inner = "4fe3f42c9cc6fd06882d97dd3200dd169b0ff082040651ee31d68bc53d46531f";
  const std::string wrapped =
    "3ba5ca907a99bb7a05d15be341974b6092f7dd09a65586d96838cad1aaac38f3"
    "e1854254195a86b759ca562a3e18b1ad717760d223962c727ef47891f98fff39";
  CHECK(session_key("1111222233334444", "devpw") == inner);
  CHECK(decrypt("abc", wrapped, c1_key) == inner);
  CHECK(encrypt("abc", inner, c1_key) == wrapped);
}

TEST_CASE("decrypt refuses malformed hex") {
  CHECK_FALSE(decrypt("seed1", "abc", c1_key));
  CHECK_FALSE(decrypt("seed1", "zz", c1_key));
  CHECK(decrypt("seed1", "", c1_key) == std::string());
}
