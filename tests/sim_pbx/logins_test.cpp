// The logins the simulated PBX issues reproduce the real PBX captures (docs/spec/appwebsocket.md §9 B1-B4).
#include "common/crypto/login_digest.hpp"
#include "common/crypto/session_key.hpp"
#include "common/json/envelope.hpp"
#include "sim/pbx/pbx_logins.hpp"

#include <catch2/catch.hpp>

using namespace mpk;

namespace {

sim::pbx_config go_pbx(std::string app_object, std::string html) {
  sim::pbx_config c;
  c.system_name = "fritz.box";
  c.pbx_name = "pbx-main";
  c.app_object = app_object;
  c.app_dn = app_object;
  c.app_password = "go";
  c.app_url = "http://192.168.178.29:5000/fritz.box/go/instance/" + html;
  return c;
}

sim::pbx_user rico(bool licensed) { return {"rico", "Schulte, Rico", "f48b06484a8a61015853009033400109", licensed}; }

std::string str(const json::envelope& e, std::string_view key) {
  return std::string(e.string(key).value_or("<absent>"));
}

} // namespace

TEST_CASE("app html name is the last segment of the app URL", "[sim_pbx]") {
  sim::pbx_config c;
  c.app_url = "http://127.0.0.1:8080/t1.example.com/myphonekeys/innovaphone-myphonekeys";
  CHECK(sim::app_html_name(c) == "innovaphone-myphonekeys");
  c.app_url = "https://h/x/innovaphone-myphonekeys.htm?x=1";
  CHECK(sim::app_html_name(c) == "innovaphone-myphonekeys");
  c.app_url = "";
  CHECK(sim::app_html_name(c).empty());
}

TEST_CASE("B1 PBX link AppLogin reproduces the real capture", "[sim_pbx]") {
  auto cfg = go_pbx("go-search", "searchapi");
  cfg.app_guid = "3954ae7854c96301c9dd009033400109";
  cfg.app_unlicensed = true;
  CHECK(
    sim::link_info(cfg) ==
    R"({"appobj":"go-search","appdn":"go-search","appurl":"http://192.168.178.29:5000/fritz.box/go/instance/searchapi","pbx":"pbx-main","cn":"go-search","unlicensed":true,"apps":[]})");

  auto frame = sim::link_app_login(cfg, "16d7dbbcccb63612");
  json::envelope_parser p;
  json::envelope_errc err{};
  auto* e = p.parse(frame, err);
  REQUIRE(e);
  CHECK(e->mt() == "AppLogin");
  CHECK(str(*e, "app") == "searchapi");
  CHECK(str(*e, "domain") == "fritz.box");
  CHECK(str(*e, "sip") == "go-search");
  CHECK(str(*e, "guid") == "3954ae7854c96301c9dd009033400109");
  CHECK(str(*e, "dn") == "go-search");
  CHECK_FALSE(e->has("pbxObj"));
  CHECK(str(*e, "digest") == "130f168773ff760701b74e629eca2544c6e62d5354e92e6f821001a982eb8951");
}

TEST_CASE("B2 PBX link digest for another App object", "[sim_pbx]") {
  auto cfg = go_pbx("go", "admin");
  cfg.app_guid = "8e7ca6fabbc5630170e9009033400109";
  cfg.app_unlicensed = true;
  auto frame = sim::link_app_login(cfg, "aeaaebe781e80289");
  CHECK(frame.find(R"("digest":"8f802873dcdee7cef6144017a6112289298ad69e77474a4c37cfdb68a83640c0")") !=
        std::string::npos);
}

TEST_CASE("link info lists granted services, test mode and licences in PBX order", "[sim_pbx]") {
  auto cfg = go_pbx("myphonekeys", "innovaphone-myphonekeys");
  cfg.test_mode = true;
  cfg.app_lics = 5;
  cfg.services.push_back({"devices-api", "Devices API", "ws://x/d", "pw"});
  CHECK(
    sim::link_info(cfg) ==
    R"({"appobj":"myphonekeys","appdn":"myphonekeys","appurl":"http://192.168.178.29:5000/fritz.box/go/instance/innovaphone-myphonekeys","pbx":"pbx-main","cn":"myphonekeys","testmode":true,"lics":5,"apps":[{"name":"devices-api","dn":"Devices API"}]})");
}

TEST_CASE("B3 user login of an unlicensed user reproduces the real capture", "[sim_pbx]") {
  auto cfg = go_pbx("go", "admin");
  cfg.users.push_back(rico(false));
  auto issued = sim::app_get_login_result(cfg, "rico", "go", "277f41a7a5b7b452", "0011");
  REQUIRE(issued.error.empty());
  json::envelope_parser p;
  json::envelope_errc err{};
  auto* e = p.parse(issued.json, err);
  REQUIRE(e);
  CHECK(e->mt() == "AppGetLoginResult");
  CHECK(str(*e, "app") == "admin");
  CHECK(str(*e, "pbxObj") == "go");
  CHECK(str(*e, "sip") == "rico");
  CHECK(str(*e, "dn") == "Schulte, Rico");
  REQUIRE(e->raw("info"));
  CHECK(
    *e->raw("info") ==
    R"({"appobj":"go","appdn":"go","appurl":"http://192.168.178.29:5000/fritz.box/go/instance/admin","pbx":"pbx-main","cn":"rico","unlicensed":true,"groups":[],"apps":[]})");
  CHECK(str(*e, "digest") == "965b4dd4d4f127c99df796b1ed137b40454801f94f50aaf93b2ce98034f10d9c");
  CHECK(str(*e, "salt") == "0011");
  CHECK(str(*e, "key") == crypto::session_key("277f41a7a5b7b452", "go"));
}

TEST_CASE("B4 user login in licence test mode reproduces the real capture", "[sim_pbx]") {
  auto cfg = go_pbx("go-search", "searchapi");
  cfg.test_mode = true;
  cfg.users.push_back(rico(true));
  // The frame may ask with the HTML name as well as with the App object name.
  for (std::string_view app : {"go-search", "searchapi"}) {
    auto issued = sim::app_get_login_result(cfg, "rico", app, "7c4fc2e477f69233", "s");
    REQUIRE(issued.error.empty());
    CHECK(issued.json.find(R"("digest":"378b82aa7508eb53866e3f4de054cdc0f7b5229e9742593e9359db3845681eb6")") !=
          std::string::npos);
    CHECK(issued.json.find(R"("cn":"rico","testmode":true,"groups":[],"apps":[])") != std::string::npos);
  }
}

TEST_CASE("AppGetLogin errors: unknown user, unknown app, bad challenge", "[sim_pbx]") {
  auto cfg = go_pbx("go", "admin");
  cfg.users.push_back(rico(true));
  auto a = sim::app_get_login_result(cfg, "nobody", "go", "1234", "s");
  CHECK(a.error == "unknown user");
  CHECK(a.json.find(R"("error":"unknown user")") != std::string::npos);
  CHECK(a.json.find("digest") == std::string::npos);
  CHECK(sim::app_get_login_result(cfg, "", "go", "1234", "s").error == "unknown user");
  CHECK(sim::app_get_login_result(cfg, "rico", "other", "1234", "s").error == "unknown app");
  CHECK(sim::app_get_login_result(cfg, "rico", "go", "", "s").error == "bad challenge");
  CHECK(sim::app_get_login_result(cfg, "rico", "go", "with space", "s").error == "bad challenge");
  CHECK(sim::app_get_login_result(cfg, "rico", "go", std::string(65, 'a'), "s").error == "bad challenge");
}

TEST_CASE("C4 service login wraps the target key with the link session key", "[sim_pbx]") {
  sim::pbx_config cfg = go_pbx("myphonekeys", "innovaphone-myphonekeys");
  cfg.app_guid = "00112233445566778899aabbccddeeff";
  cfg.services.push_back({"devices-api", "Devices", "ws://127.0.0.1:1/d", "devpw"});
  const auto link_key = crypto::session_key("0123456789abcdef", "pwd"); // C1
  json::json_writer w;
  w.begin_object();
  auto error = sim::write_service_login(w, cfg, "devices-api", "1111222233334444", link_key, "abc");
  REQUIRE_FALSE(error);
  w.end_object();
  // Exactly the C4 vector: salt abc, inner key = sessionKey(1111222233334444, devpw).
  CHECK(
    w.str().find(
      R"("key":"3ba5ca907a99bb7a05d15be341974b6092f7dd09a65586d96838cad1aaac38f3e1854254195a86b759ca562a3e18b1ad717760d223962c727ef47891f98fff39")") !=
    std::string::npos);

  json::json_writer w2;
  auto unknown = sim::write_service_login(w2, cfg, "other", "1111222233334444", link_key, "abc");
  REQUIRE(unknown);
  CHECK(unknown->error == "unknown service");
  CHECK(w2.str().empty());
}
