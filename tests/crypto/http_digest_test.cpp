// HTTP Digest: the RFC test vectors, header parsing, and the server's verdicts.
#include "common/crypto/http_digest.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace mpk::crypto::http_digest;

namespace {

/// The response parameter of an Authorization value.
std::string response_of(const std::string& auth) {
  auto p = parse_params(auth);
  REQUIRE(p);
  return param(*p, "response").value_or("");
}

} // namespace

TEST_CASE("digest answers match RFC 2617 (MD5) and RFC 7616 (MD5, SHA-256)", "[digest]") {
  auto c2617 = parse_challenge(
    "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", "
    "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
  REQUIRE(c2617);
  CHECK(c2617->qop_auth);
  CHECK(c2617->algorithm == "MD5");
  auto a = authorization(*c2617, "Mufasa", "Circle Of Life", "GET", "/dir/index.html", 1, "0a4f113b");
  CHECK(response_of(a) == "6629fae49393a05397450978507c4ef1");
  CHECK(a.find("nc=00000001") != std::string::npos);
  CHECK(a.find("opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"") != std::string::npos);

  const std::string nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
  const std::string cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
  for (auto [alg, expected] : {std::pair<std::string, std::string>{"MD5", "8ca523f5e9506fed4657c9700eebdbec"},
                               {"SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"}}) {
    auto c = parse_challenge("Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=" + alg +
                             ", nonce=\"" + nonce + "\", opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"");
    REQUIRE(c);
    CHECK(response_of(authorization(*c, "Mufasa", "Circle of Life", "GET", "/dir/index.html", 1, cnonce)) == expected);
  }
}

TEST_CASE("challenges are found among other schemes, unusable ones are refused", "[digest]") {
  auto c = parse_challenge("Basic realm=\"x\", Digest realm=\"phone\", nonce=\"n1\", stale=TRUE");
  REQUIRE(c);
  CHECK(c->realm == "phone");
  CHECK(c->nonce == "n1");
  CHECK(c->stale);
  CHECK_FALSE(c->qop_auth);
  CHECK_FALSE(parse_challenge("Basic realm=\"x\""));
  CHECK_FALSE(parse_challenge("Digest realm=\"x\""));                                // no nonce
  CHECK_FALSE(parse_challenge("Digest realm=\"x\", nonce=\"n\", qop=\"auth-int\"")); // cannot hash bodies
  CHECK_FALSE(parse_challenge("Digest realm=\"x\", nonce=\"n\", algorithm=SHA-512-256"));
  CHECK_FALSE(parse_challenge("Digest realm=\"x, nonce=\"n\"")); // unbalanced quote
  CHECK_FALSE(parse_params("Digest"));
  auto p = parse_params("Digest username=\"a\\\"b\", nc=00000001");
  REQUIRE(p);
  CHECK(param(*p, "USERNAME") == std::optional<std::string>("a\"b"));
}

TEST_CASE("the server side accepts its own challenge answered right, and only that", "[digest]") {
  server s("innovaphone IP222", "admin", "ip222");
  auto www = s.challenge_header();
  auto c = parse_challenge(www);
  REQUIRE(c);
  CHECK(c->realm == "innovaphone IP222");
  CHECK(c->qop_auth);

  auto ok = authorization(*c, "admin", "ip222", "GET", "/lcd_dump.bmp", 1, "abc");
  CHECK(s.check("GET", "/lcd_dump.bmp", ok) == server::verdict::ok);
  CHECK(s.check("GET", "/lcd_dump.bmp", authorization(*c, "admin", "ip222", "GET", "/lcd_dump.bmp", 2, "def")) ==
        server::verdict::ok);
  CHECK(s.check("GET", "/lcd_dump.bmp", "") == server::verdict::missing);
  CHECK(s.check("GET", "/lcd_dump.bmp", "Basic YWRtaW46aXAyMjI=") == server::verdict::malformed);
  CHECK(s.check("GET", "/other", ok) == server::verdict::malformed); // uri is not the request's
  CHECK(s.check("POST", "/lcd_dump.bmp", ok) == server::verdict::wrong_response);
  CHECK(s.check("GET", "/lcd_dump.bmp", authorization(*c, "admin", "wrong", "GET", "/lcd_dump.bmp", 1, "abc")) ==
        server::verdict::wrong_response);
  CHECK(s.check("GET", "/lcd_dump.bmp", authorization(*c, "root", "ip222", "GET", "/lcd_dump.bmp", 1, "abc")) ==
        server::verdict::wrong_user);

  // A right answer to a nonce this server did not make (another process, a forged one) is stale:
  // the client gets a fresh nonce and may retry with the same password.
  challenge foreign = *c;
  foreign.nonce = "0000000000000000" + std::string(32, 'a');
  CHECK(s.check("GET", "/x", authorization(foreign, "admin", "ip222", "GET", "/x", 1, "c")) ==
        server::verdict::stale_nonce);
  server other("innovaphone IP222", "admin", "ip222");
  CHECK(other.check("GET", "/lcd_dump.bmp", ok) == server::verdict::stale_nonce);
  CHECK(parse_challenge(s.challenge_header(true))->stale);

  // An expired nonce of this server is stale too.
  server quick("r", "admin", "pw", std::chrono::seconds(0));
  auto qc = parse_challenge(quick.challenge_header());
  REQUIRE(qc);
  auto late = authorization(*qc, "admin", "pw", "GET", "/", 1, "c");
  // Lifetime 0: valid only within the second it was made; wait past it.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  CHECK(quick.check("GET", "/", late) == server::verdict::stale_nonce);
}

TEST_CASE("a server that takes the uri as named accepts an answer computed behind a path prefix", "[digest]") {
  server s("IP222-020202", "admin", "pw", std::chrono::seconds(300), server::uri_rule::as_named);
  auto c = parse_challenge(s.challenge_header());
  REQUIRE(c);
  // The browser asked for /t/i/admin/<id>/ADMIN/x; the phone gets /ADMIN/x.
  auto prefixed = authorization(*c, "admin", "pw", "GET", "/t/i/admin/0123456789abcdef/ADMIN/x", 1, "c");
  CHECK(s.check("GET", "/ADMIN/x", prefixed) == server::verdict::ok);
  CHECK(s.check("POST", "/ADMIN/x", prefixed) == server::verdict::wrong_response);
  CHECK(s.check("GET", "/ADMIN/x", authorization(*c, "admin", "no", "GET", "/a", 2, "c")) ==
        server::verdict::wrong_response);
  server strict("IP222-020202", "admin", "pw");
  CHECK(strict.check("GET", "/ADMIN/x",
                     authorization(*parse_challenge(strict.challenge_header()), "admin", "pw", "GET",
                                   "/t/i/admin/0123456789abcdef/ADMIN/x", 1, "c")) == server::verdict::malformed);
}

TEST_CASE("Basic credentials as RFC 7617 §2 shows them", "[digest]") {
  CHECK(basic_authorization("Aladdin", "open sesame") == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  CHECK(basic_authorization("", "") == "Basic Og==");
}
