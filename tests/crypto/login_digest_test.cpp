// docs/spec/appwebsocket.md §9: vectors A1–A5 (published) and B1–B4 (real PBX captures).
#include "common/crypto/login_digest.hpp"

#include <catch2/catch.hpp>

using namespace mpk::crypto;

namespace {

login_fields fields(std::string app, std::string domain, std::string sip, std::string guid, std::string dn,
                    std::optional<std::string> info = std::nullopt) {
  return login_fields{std::move(app),  std::move(domain), std::move(sip),
                      std::move(guid), std::move(dn),     std::move(info)};
}

const std::string a_challenge = "0123456789abcdef";

} // namespace

TEST_CASE("A1 login digest without info") {
  auto f = fields("pbxadminapi", "", "", "", "");
  auto d = login_digest(f, a_challenge, "pwd");
  CHECK(d == "a205299ed2ef2786c311e0be1b14db343f2cadd906a6ae7b564eee34bda5e9a1");
  CHECK(verify_login_digest(f, std::nullopt, a_challenge, "pwd", d));
  CHECK(verify_login_digest(f, std::string(), a_challenge, "pwd", d)); // empty info = absent
}

TEST_CASE("A2 login digest with empty info object") {
  auto f = fields("pbxadminapi", "", "", "", "", "{}");
  auto d = login_digest(f, a_challenge, "pwd");
  CHECK(d == "57b23fe824b9222a7ac879597cb509bcdc865a1bfeb057d9d12118cef0c3ba34");
  f.info.reset();
  CHECK(verify_login_digest(f, std::string("{ }"), a_challenge, "pwd", d));
  CHECK_FALSE(verify_login_digest(f, std::nullopt, a_challenge, "pwd", d)); // {} is present, not absent
}

TEST_CASE("A3 login digest with info cn") {
  auto f = fields("pbxadminapi", "", "", "", "", R"({"cn":"Test User"})");
  auto d = login_digest(f, a_challenge, "pwd");
  CHECK(d == "96db3c3f657230c2b68194becc6d2a77f05de9f79f01fc81e9ca0fb196b10d9d");
  f.info.reset();
  CHECK(verify_login_digest(f, std::string("{\n  \"cn\" : \"Test User\"\n}"), a_challenge, "pwd", d));
}

TEST_CASE("A4 login digest user login with apps array") {
  const std::string info =
    R"({"appobj":"users","apps":[{"name":"users"},{"name":"profile"}],"appurl":"https://1.2.3.4/example.com/usersapp/innovaphone-users","unlicensed":true})";
  auto f = fields("innovaphone-users", "example.com", "administrator", "0123456789abcdef0123456789abcdef",
                  "Administrator User", info);
  auto d = login_digest(f, a_challenge, "pwd");
  CHECK(d == "ef1b811ffaa8f9255c39c653d8fb26b4687b2d8c4d9ac91b4821bff6bae3ff44");
  f.info.reset();
  // Same object as a sender with escaped slashes would write it: only the canonical form matches.
  const std::string escaped =
    R"({ "appobj": "users", "apps": [ {"name": "users"}, {"name": "profile"} ], "appurl": "https:\/\/1.2.3.4\/example.com\/usersapp\/innovaphone-users", "unlicensed": true })";
  CHECK(verify_login_digest(f, escaped, a_challenge, "pwd", d));
}

TEST_CASE("A5 login digest RCC tutorial without info") {
  auto f = fields("test", "test.com", "", "", "");
  CHECK(login_digest(f, "0", "secret") == "66ee3f52256a8eed034603b98cbaf98890bab6f42adb4a34de928e1885d68293");
}

TEST_CASE("B1 login digest PBX link go-search") {
  const std::string info =
    R"({"appobj":"go-search","appdn":"go-search","appurl":"http://192.168.178.29:5000/fritz.box/go/instance/searchapi","pbx":"pbx-main","cn":"go-search","unlicensed":true,"apps":[]})";
  auto f = fields("searchapi", "fritz.box", "go-search", "3954ae7854c96301c9dd009033400109", "go-search", info);
  const std::string expected = "130f168773ff760701b74e629eca2544c6e62d5354e92e6f821001a982eb8951";
  CHECK(login_digest(f, "16d7dbbcccb63612", "go") == expected);
  f.info.reset();
  const std::string spaced =
    "{ \"appobj\" : \"go-search\", \"appdn\" : \"go-search\",\r\n \"appurl\" : "
    "\"http://192.168.178.29:5000/fritz.box/go/instance/searchapi\", \"pbx\" : \"pbx-main\", \"cn\" : "
    "\"go-search\", \"unlicensed\" : true, \"apps\" : [ ] }";
  CHECK(verify_login_digest(f, spaced, "16d7dbbcccb63612", "go", expected));
}

TEST_CASE("B2 login digest PBX link go") {
  const std::string info =
    R"({"appobj":"go","appdn":"go","appurl":"http://192.168.178.29:5000/fritz.box/go/instance/admin","pbx":"pbx-main","cn":"go","unlicensed":true,"apps":[]})";
  auto f = fields("admin", "fritz.box", "go", "8e7ca6fabbc5630170e9009033400109", "go", info);
  const std::string expected = "8f802873dcdee7cef6144017a6112289298ad69e77474a4c37cfdb68a83640c0";
  CHECK(login_digest(f, "aeaaebe781e80289", "go") == expected);
  f.info.reset();
  CHECK(verify_login_digest(f, info, "aeaaebe781e80289", "go", expected));
}

TEST_CASE("B3 login digest user login rico") {
  const std::string info =
    R"({"appobj":"go","appdn":"go","appurl":"http://192.168.178.29:5000/fritz.box/go/instance/admin","pbx":"pbx-main","cn":"rico","unlicensed":true,"groups":[],"apps":[]})";
  auto f = fields("admin", "fritz.box", "rico", "f48b06484a8a61015853009033400109", "Schulte, Rico", info);
  const std::string expected = "965b4dd4d4f127c99df796b1ed137b40454801f94f50aaf93b2ce98034f10d9c";
  CHECK(login_digest(f, "277f41a7a5b7b452", "go") == expected);
  f.info.reset();
  const std::string spaced =
    "{\n\t\"appobj\": \"go\",\n\t\"appdn\": \"go\",\n\t\"appurl\": "
    "\"http://192.168.178.29:5000/fritz.box/go/instance/admin\",\n\t\"pbx\": \"pbx-main\",\n\t\"cn\": "
    "\"rico\",\n\t\"unlicensed\": true,\n\t\"groups\": [],\n\t\"apps\": []\n}";
  CHECK(verify_login_digest(f, spaced, "277f41a7a5b7b452", "go", expected));
}

TEST_CASE("B4 login digest user login with testmode") {
  const std::string info =
    R"({"appobj":"go-search","appdn":"go-search","appurl":"http://192.168.178.29:5000/fritz.box/go/instance/searchapi","pbx":"pbx-main","cn":"rico","testmode":true,"groups":[],"apps":[]})";
  auto f = fields("searchapi", "fritz.box", "rico", "f48b06484a8a61015853009033400109", "Schulte, Rico", info);
  const std::string expected = "378b82aa7508eb53866e3f4de054cdc0f7b5229e9742593e9359db3845681eb6";
  CHECK(login_digest(f, "7c4fc2e477f69233", "go") == expected);
  f.info.reset();
  const std::string spaced =
    R"({ "appobj" : "go-search", "appdn" : "go-search", "appurl" : "http://192.168.178.29:5000/fritz.box/go/instance/searchapi", "pbx" : "pbx-main", "cn" : "rico", "testmode" : true, "groups" : [ ], "apps" : [ ] })";
  CHECK(verify_login_digest(f, spaced, "7c4fc2e477f69233", "go", expected));
}

TEST_CASE("wrong digest is refused") {
  const std::string info = R"({"cn":"Test User"})";
  auto f = fields("pbxadminapi", "", "", "", "");
  const std::string good = "96db3c3f657230c2b68194becc6d2a77f05de9f79f01fc81e9ca0fb196b10d9d";
  CHECK(verify_login_digest(f, info, a_challenge, "pwd", good));
  CHECK_FALSE(verify_login_digest(f, info, a_challenge, "wrong", good));                  // wrong password
  CHECK_FALSE(verify_login_digest(f, info, "0123456789abcdee", "pwd", good));             // other challenge
  CHECK_FALSE(verify_login_digest(f, R"({"cn":"Test user"})", a_challenge, "pwd", good)); // info changed
  CHECK_FALSE(verify_login_digest(f, std::nullopt, a_challenge, "pwd", good));            // info dropped
  CHECK_FALSE(verify_login_digest(f, info, a_challenge, "pwd", good.substr(0, 63)));      // truncated
  CHECK_FALSE(verify_login_digest(f, info, a_challenge, "pwd", ""));
  std::string flipped = good;
  flipped[10] = flipped[10] == '0' ? '1' : '0';
  CHECK_FALSE(verify_login_digest(f, info, a_challenge, "pwd", flipped));
  // Member order is part of the digest: a reordered info must not match.
  CHECK_FALSE(
    verify_login_digest(fields("pbxadminapi", "", "", "", ""), std::string(R"({"b":1,"a":2})"), a_challenge, "pwd",
                        login_digest(fields("pbxadminapi", "", "", "", "", R"({"a":2,"b":1})"), a_challenge, "pwd")));
}

TEST_CASE("upper-case digest is accepted") {
  auto f = fields("pbxadminapi", "", "", "", "");
  std::string upper = "A205299ED2EF2786C311E0BE1B14DB343F2CADD906A6AE7B564EEE34BDA5E9A1";
  CHECK(verify_login_digest(f, std::nullopt, a_challenge, "pwd", upper));
}

TEST_CASE("info given as the JSON empty string counts as absent") {
  auto f = fields("pbxadminapi", "", "", "", "");
  CHECK(verify_login_digest(f, std::string("\"\""), a_challenge, "pwd",
                            "a205299ed2ef2786c311e0be1b14db343f2cadd906a6ae7b564eee34bda5e9a1"));
}

TEST_CASE("malformed raw info never crashes and still tries the compact form") {
  auto f = fields("pbxadminapi", "", "", "", "");
  for (std::string bad : {"{", "{\"a\":", "\"unterminated", "{\"a\":\"\\", "[1,]", "\xff\xfe"})
    CHECK_FALSE(verify_login_digest(f, bad, a_challenge, "pwd", std::string(64, '0')));
}
