// Hex, SHA-256, RC4, randomness and the constant-time compare.
#include "common/crypto/constant_time.hpp"
#include "common/crypto/hex.hpp"
#include "common/crypto/random.hpp"
#include "common/crypto/rc4.hpp"
#include "common/crypto/sha256.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

using namespace mpk::crypto;

TEST_CASE("hex encodes lowercase and decodes either case") {
  CHECK(to_hex(std::string("\x00\x01\xab\xff", 4)) == "0001abff");
  CHECK(to_hex("") == "");
  auto d = from_hex("0001ABff");
  REQUIRE(d);
  CHECK(*d == std::string("\x00\x01\xab\xff", 4));
  CHECK(from_hex("")->empty());
}

TEST_CASE("hex decode refuses odd length and bad characters") {
  CHECK_FALSE(from_hex("abc"));
  CHECK_FALSE(from_hex("zz"));
  CHECK_FALSE(from_hex("0g"));
  CHECK_FALSE(from_hex(" 0"));
}

TEST_CASE("sha256 of known inputs") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256("abc").size() == 32);
}

TEST_CASE("rc4 matches the classic test vectors and is its own inverse") {
  CHECK(to_hex(rc4("Key", "Plaintext")) == "bbf316e8d940af0ad3");
  CHECK(to_hex(rc4("Wiki", "pedia")) == "1021bf0420");
  CHECK(to_hex(rc4("Secret", "Attack at dawn")) == "45a01f645fc35b383552544b9bf5");
  CHECK(rc4("Key", rc4("Key", "round trip")) == "round trip");
  CHECK(rc4("", "unchanged") == "unchanged");
}

TEST_CASE("challenge is 16 lowercase hex characters and varies") {
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    auto c = make_challenge();
    REQUIRE(c.size() == 16);
    CHECK(c.find_first_not_of("0123456789abcdef") == std::string::npos);
    seen.insert(c);
  }
  CHECK(seen.size() == 20);
  CHECK(random_hex(0).empty());
  CHECK(random_hex(5).size() == 10);
}

TEST_CASE("guid is a version 4 UUID in 8-4-4-4-12 form") {
  auto g = make_guid();
  REQUIRE(g.size() == 36);
  for (std::size_t i : {8u, 13u, 18u, 23u}) CHECK(g[i] == '-');
  CHECK(g[14] == '4');
  CHECK(std::string("89ab").find(g[19]) != std::string::npos);
  std::string digits = g;
  digits.erase(std::remove(digits.begin(), digits.end(), '-'), digits.end());
  CHECK(digits.size() == 32);
  CHECK(digits.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(make_guid() != g);
}

TEST_CASE("digest compare is case-insensitive and refuses differences") {
  CHECK(digest_equal("abcdef0123", "ABCDEF0123"));
  CHECK(digest_equal("", ""));
  CHECK_FALSE(digest_equal("abcdef0123", "abcdef0124"));
  CHECK_FALSE(digest_equal("abc", "abcd"));
  CHECK_FALSE(digest_equal("a", "!")); // '!' | 0x20 would collide with naive case folding
  CHECK_FALSE(digest_equal("@", "`"));
}
