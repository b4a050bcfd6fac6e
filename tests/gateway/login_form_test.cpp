// What an AppLogin is, by what signs it (services/gateway/login_form.hpp): the exact frames the
// SDK's Connection.js, myApps and a PBX send (docs/spec/appwebsocket.md §3, §5.2, §5.3; vectors A5, B1, B3),
// and the malformed ones each refused with a reason.

#include "services/gateway/login_form.hpp"

#include <catch2/catch.hpp>

using namespace mpk;
using gateway::classify_login;
using gateway::login_form;

namespace {

constexpr const char* zeros = "00000000000000000000000000000000";
constexpr const char* digest = "66ee3f52256a8eed034603b98cbaf98890bab6f42adb4a34de928e1885d68293";

gateway::classified_login classify(const std::string& frame) {
  json::envelope_parser parser;
  json::envelope_errc err{};
  const auto* env = parser.parse(frame, err);
  REQUIRE(env);
  return classify_login(*env);
}

std::string password_form(const std::string& extra = R"(,"pbxObj":"admin")") {
  return std::string(R"({"mt":"AppLogin","app":"admin","domain":"","sip":"admin","guid":")") + zeros +
         R"(","dn":"Admin","digest":")" + digest + "\"" + extra + "}";
}

} // namespace

TEST_CASE("login form: the SDK's password login, with and without pbxObj") {
  // Connection.js (13r1) sends every AppLogin through one function that adds pbxObj = app.
  auto c = classify(password_form());
  REQUIRE(c.form);
  CHECK(*c.form == login_form::password);
  CHECK(c.fields.pbx_obj == "admin");
  CHECK_FALSE(c.fields.info);
  // GOAWS-style: no pbxObj at all. A domain given to Connection() stays in the fields.
  c = classify(std::string(R"({"mt":"AppLogin","app":"test","domain":"test.com","sip":"test","guid":")") + zeros +
               R"(","dn":"Admin","digest":")" + digest + "\"}");
  REQUIRE(c.form);
  CHECK(*c.form == login_form::password);
  CHECK(c.fields.domain == "test.com");
}

TEST_CASE("login form: a PBX link and a myApps user login (real captures B1, B3)") {
  auto b1 =
    std::string(R"({"mt":"AppLogin","app":"searchapi","domain":"fritz.box","sip":"go-search",)") +
    R"("guid":"3954ae7854c96301c9dd009033400109","dn":"go-search","digest":")" + digest +
    R"(","info":{"appobj":"go-search","appdn":"go-search","appurl":"http://192.168.178.29:5000/fritz.box/go/instance/searchapi","pbx":"pbx-main","cn":"go-search","unlicensed":true,"lics":5,"apps":[]}})";
  auto c = classify(b1);
  REQUIRE(c.form);
  CHECK(*c.form == login_form::pbx_link);
  CHECK(c.fields.lics == 5);
  CHECK(c.fields.pbx == "pbx-main");
  CHECK(c.fields.info->find("\"appobj\":\"go-search\"") != std::string::npos);

  auto b3 =
    std::string(R"({"mt":"AppLogin","app":"admin","domain":"fritz.box","sip":"rico",)") +
    R"("guid":"f48b06484a8a61015853009033400109","dn":"Schulte, Rico","digest":")" + digest +
    R"(","pbxObj":"go","info":{"appobj":"go","appdn":"go","appurl":"http://192.168.178.29:5000/fritz.box/go/instance/admin","pbx":"pbx-main","cn":"rico","testmode":true,"groups":[],"apps":[]}})";
  c = classify(b3);
  REQUIRE(c.form);
  CHECK(*c.form == login_form::pbx_user);
  CHECK(c.fields.test_mode);
  CHECK_FALSE(c.fields.lics);
  CHECK(c.fields.appobj == "go");
}

TEST_CASE("login form: malformed logins are refused with a reason") {
  auto refused = [](const std::string& frame, const char* reason) {
    auto c = classify(frame);
    CHECK_FALSE(c.form);
    CHECK(c.error.find(reason) != std::string::npos);
  };
  // A user login with its pbxObj dropped: info, but sip is not the App object.
  refused(
    std::string(
      R"({"mt":"AppLogin","app":"x","domain":"d","sip":"rico","guid":"f48b06484a8a61015853009033400109","dn":"R","digest":")") +
      digest + R"(","info":{"appobj":"go"}})",
    "info but without pbxObj");
  auto no_digest = password_form();
  no_digest.replace(no_digest.find(digest), 64, "");
  refused(no_digest, "without a digest");
  refused(password_form(R"(,"info":"")"), "info must be a JSON object");
  refused(password_form(R"(,"info":[1])"), "info must be a JSON object");
  auto bad_guid = password_form();
  bad_guid.replace(bad_guid.find(zeros), 32, "0000");
  refused(bad_guid, "guid must be 32 hex digits");
  auto not_hex = password_form();
  not_hex.replace(not_hex.find(zeros), 32, std::string(31, '0') + "g");
  refused(not_hex, "guid must be 32 hex digits");
  // A password login names itself in pbxObj or nowhere, signs app == sip, and has a zero guid.
  refused(password_form(R"(,"pbxObj":"someone-else")"), "pbxObj, when sent, is its own name");
  auto other_sip = password_form();
  other_sip.replace(other_sip.find(R"("sip":"admin")"), 13, R"("sip":"other")");
  refused(other_sip, "app and sip the same name");
  refused(R"({"mt":"AppLogin","app":5,"digest":"x"})", "member 'app' must be a string");
}
