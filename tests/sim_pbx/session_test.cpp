// The PBX link protocol without sockets: frames in, frames out.
#include "common/crypto/login_digest.hpp"
#include "common/crypto/session_key.hpp"
#include "common/json/envelope.hpp"
#include "sim/pbx/pbx_session.hpp"

#include <catch2/catch.hpp>

using namespace mpk;
using event = sim::pbx_session::output::event;

namespace {

sim::pbx_config tenant() {
  sim::pbx_config c;
  c.system_name = "tenant1.example.com";
  c.pbx_name = "pbx-main";
  c.product_url = "ws://127.0.0.1:1/tenant1.example.com/myphonekeys";
  c.app_object = "myphonekeys";
  c.app_dn = "myPhoneKeys";
  c.app_guid = "0123456789abcdef0123456789abcdef";
  c.app_password = "app-secret";
  c.app_url = "http://127.0.0.1:1/tenant1.example.com/myphonekeys/innovaphone-myphonekeys";
  c.services.push_back({"devices-api", "Devices", "ws://127.0.0.1:2/dev.example.com/devices", "dev-secret"});
  return c;
}

/// Parses one frame for checking (a fresh parser per frame keeps views valid).
struct parsed {
  json::envelope_parser parser;
  const json::envelope* e = nullptr;
  explicit parsed(const std::string& text) {
    json::envelope_errc err{};
    e = parser.parse(text, err);
  }
};

void log_in(sim::pbx_session& s) {
  auto out = s.on_frame(R"({"mt":"AppChallengeResult","challenge":"0123456789abcdef"})");
  REQUIRE(out.frames.size() == 1);
  out = s.on_frame(R"({"mt":"AppLoginResult","ok":true,"domain":"x"})");
  REQUIRE(out.ev == event::logged_in);
}

} // namespace

TEST_CASE("session: AppLogin digest verifies with the App object password", "[sim_pbx]") {
  auto cfg = tenant();
  sim::pbx_session s(cfg);
  CHECK(s.opening_frame() == R"({"mt":"AppChallenge"})");
  auto out = s.on_frame(R"({"mt":"AppChallengeResult","challenge":"5566778899aabbcc"})");
  REQUIRE(out.frames.size() == 1);
  parsed login(out.frames[0]);
  REQUIRE(login.e);
  CHECK(login.e->mt() == "AppLogin");
  crypto::login_fields f{std::string(*login.e->string("app")), std::string(*login.e->string("domain")),
                         std::string(*login.e->string("sip")), std::string(*login.e->string("guid")),
                         std::string(*login.e->string("dn")),  std::nullopt};
  CHECK(f.app == "innovaphone-myphonekeys");
  CHECK(f.domain == "tenant1.example.com");
  CHECK(f.sip == "myphonekeys");
  auto info = std::string(*login.e->raw("info"));
  auto digest = *login.e->string("digest");
  CHECK(crypto::verify_login_digest(f, info, "5566778899aabbcc", "app-secret", digest));
  CHECK_FALSE(crypto::verify_login_digest(f, info, "5566778899aabbcc", "wrong", digest));
  CHECK_FALSE(crypto::verify_login_digest(f, info, "other-challenge", "app-secret", digest));
  CHECK(info.find(R"("apps":[{"name":"devices-api","dn":"Devices"}])") != std::string::npos);
}

TEST_CASE("session: PbxInfo and AppInfo follow a successful login", "[sim_pbx]") {
  auto cfg = tenant();
  sim::pbx_session s(cfg);
  s.on_frame(R"({"mt":"AppChallengeResult","challenge":"0123"})");
  auto out = s.on_frame(R"({"mt":"AppLoginResult","ok":true})");
  CHECK(out.ev == event::logged_in);
  CHECK(s.logged_in());
  REQUIRE(out.frames.size() == 2);
  parsed info(out.frames[0]);
  REQUIRE(info.e);
  CHECK(info.e->mt() == "PbxInfo");
  CHECK(info.e->string("domain") == std::optional<std::string_view>("tenant1.example.com"));
  CHECK(info.e->string("pbx") == std::optional<std::string_view>("pbx-main"));
  CHECK(info.e->raw("apis") == std::optional<std::string_view>(R"(["Services","PbxApi"])"));
  CHECK(info.e->has("version"));
  CHECK(info.e->has("build"));
  CHECK(out.frames[1] == R"({"mt":"AppInfo","app":"innovaphone-myphonekeys"})");
  // AppInfoResult is an answer: nothing goes back.
  CHECK(s.on_frame(R"({"mt":"AppInfoResult"})").frames.empty());
}

TEST_CASE("session: refused login closes the link", "[sim_pbx]") {
  auto cfg = tenant();
  sim::pbx_session s(cfg);
  s.on_frame(R"({"mt":"AppChallengeResult","challenge":"0123"})");
  auto out = s.on_frame(R"({"mt":"AppLoginResult","ok":false,"errorText":"wrong password"})");
  CHECK(out.ev == event::login_refused);
  CHECK(out.close);
  CHECK(out.close_reason == "login refused: wrong password");
  CHECK_FALSE(s.logged_in());

  sim::pbx_session t(cfg);
  auto bad = t.on_frame(R"({"mt":"AppChallengeResult","challenge":""})");
  CHECK(bad.close);
  CHECK(bad.frames.empty());
  // An AppLoginResult without a preceding challenge is not a login.
  sim::pbx_session u(cfg);
  CHECK(u.on_frame(R"({"mt":"AppLoginResult","ok":true})").ev == event::login_refused);
}

TEST_CASE("session: Services subscribe, service login and unsubscribe echo src", "[sim_pbx]") {
  auto cfg = tenant();
  sim::pbx_session s(cfg);
  log_in(s);
  auto out = s.on_frame(R"({"api":"Services","mt":"SubscribeServices","src":"a1"})");
  REQUIRE(out.frames.size() == 2);
  CHECK(out.frames[0] == R"({"mt":"SubscribeServicesResult","api":"Services","src":"a1"})");
  parsed si(out.frames[1]);
  REQUIRE(si.e);
  CHECK(si.e->mt() == "ServicesInfo");
  CHECK(si.e->src() == "a1");
  CHECK(
    si.e->raw("services") ==
    std::optional<std::string_view>(
      R"([{"name":"devices-api","title":"Devices","url":"ws://127.0.0.1:2/dev.example.com/devices","info":{"com.innovaphone.devices":{}}}])"));
  CHECK(s.subscribed());

  out = s.on_frame(
    R"({"api":"Services","mt":"GetServiceLogin","app":"devices-api","challenge":"1111222233334444","src":"g"})");
  CHECK(out.ev == event::service_login);
  REQUIRE(out.frames.size() == 1);
  parsed r(out.frames[0]);
  REQUIRE(r.e);
  CHECK(r.e->mt() == "GetServiceLoginResult");
  CHECK(r.e->src() == "g");
  CHECK_FALSE(r.e->has("error"));
  crypto::login_fields f{std::string(*r.e->string("app")), std::string(*r.e->string("domain")),
                         std::string(*r.e->string("sip")), std::string(*r.e->string("guid")),
                         std::string(*r.e->string("dn")),  std::nullopt};
  CHECK(f.app == "devices-api");
  CHECK(r.e->string("pbxObj") == std::optional<std::string_view>("myphonekeys"));
  CHECK(crypto::verify_login_digest(f, std::string(*r.e->raw("info")), "1111222233334444", "dev-secret",
                                    *r.e->string("digest")));
  auto link_key = crypto::session_key("0123456789abcdef", "app-secret");
  auto inner = crypto::decrypt(*r.e->string("salt"), *r.e->string("key"), link_key);
  REQUIRE(inner);
  CHECK(*inner == crypto::session_key("1111222233334444", "dev-secret"));

  out = s.on_frame(R"({"api":"Services","mt":"UnsubscribeServices","src":7})");
  REQUIRE(out.frames.size() == 1);
  CHECK(out.frames[0] == R"({"mt":"UnsubscribeServicesResult","api":"Services","src":7})");
  CHECK_FALSE(s.subscribed());
}

TEST_CASE("session: errors for unknown service, unknown messages, bad frames", "[sim_pbx]") {
  auto cfg = tenant();
  sim::pbx_session s(cfg);
  // Before login the Services api is refused.
  auto out = s.on_frame(R"({"api":"Services","mt":"SubscribeServices","src":"early"})");
  REQUIRE(out.frames.size() == 1);
  CHECK(out.frames[0].find(R"("error":"not logged in")") != std::string::npos);
  CHECK(out.frames[0].find(R"("src":"early")") != std::string::npos);
  log_in(s);

  out = s.on_frame(R"({"api":"Services","mt":"GetServiceLogin","app":"nope","challenge":"1","src":"x"})");
  REQUIRE(out.frames.size() == 1);
  parsed r(out.frames[0]);
  REQUIRE(r.e);
  CHECK(r.e->mt() == "GetServiceLoginResult");
  CHECK(r.e->string("error") == std::optional<std::string_view>("unknown service"));
  CHECK(r.e->src() == "x");
  CHECK(out.ev == event::none);

  out = s.on_frame(R"({"api":"Services","mt":"GetServiceLogin","src":"y"})");
  REQUIRE(out.frames.size() == 1);
  CHECK(out.frames[0].find(R"("error":"unknown service")") != std::string::npos);

  out = s.on_frame(R"({"api":"PbxSignal","mt":"Initialize","src":"z"})");
  REQUIRE(out.frames.size() == 1);
  CHECK(out.frames[0].find(R"({"mt":"InitializeResult","api":"PbxSignal","src":"z","error":)") == 0);

  out = s.on_frame(R"({"mt":"Whatever"})");
  REQUIRE(out.frames.size() == 1);
  CHECK(out.frames[0].find(R"({"mt":"WhateverResult","error":"unknown message")") == 0);

  CHECK(s.on_frame(R"({"mt":"KeepAlive"})").frames == std::vector<std::string>{R"({"mt":"KeepAlive"})"});

  for (std::string_view bad : {"", "{", "[1]", "\"x\"", R"({"mt":5})", R"({"no":"mt"})", "\xff\xfe"}) {
    out = s.on_frame(bad);
    REQUIRE(out.frames.size() == 1);
    CHECK(out.frames[0].find(R"("error":"bad frame")") != std::string::npos);
    CHECK_FALSE(out.close);
  }
  CHECK(s.logged_in());
}
