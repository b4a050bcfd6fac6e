// One App object password per tenant (docs/security.md): the start check of
// gateway.require-tenant-passwords, the warnings, and the shared password refused under the rule.

#include "common/actors/system_config.hpp"
#include "common/crypto/login_digest.hpp"
#include "common/net/io_runtime.hpp"
#include "services/gateway/gateway.hpp"
#include "services/gateway/tenant_secrets.hpp"
#include "tests/sim/ws_client.hpp"

#include <caf/actor_system.hpp>
#include <catch2/catch.hpp>

using namespace mpk;
using namespace std::chrono_literals;

TEST_CASE("tenant secrets: require-tenant-passwords refuses the shared password at start") {
  gateway::gateway_options o;
  std::vector<std::string> warnings;
  o.require_tenant_passwords = true;
  o.password = "shared";
  o.domain_passwords["t1.example.com"] = "pw1";
  CHECK(gateway::check_tenant_secrets(o, warnings).find("gateway.password") != std::string::npos);
  o.password.clear();
  CHECK(gateway::check_tenant_secrets(o, warnings).empty());
  o.domain_passwords.clear();
  CHECK(gateway::check_tenant_secrets(o, warnings).find("no tenant.<domain>.password") != std::string::npos);
  CHECK(warnings.empty());
  // Without the rule: a warning when tenants with and without their own password mix.
  o.require_tenant_passwords = false;
  o.password = "shared";
  CHECK(gateway::check_tenant_secrets(o, warnings).empty());
  CHECK(warnings.empty()); // one shared password and no tenant passwords: a single-tenant site
  o.domain_passwords["t1.example.com"] = "pw1";
  CHECK(gateway::check_tenant_secrets(o, warnings).empty());
  CHECK(warnings.size() == 1);
}

TEST_CASE("tenant secrets: a warning once two tenants are up on the shared password") {
  CHECK(gateway::shared_password_warnings("").empty());
  CHECK(
    gateway::shared_password_warnings(R"([{"tenant":"a","sharedPassword":true},{"tenant":"b","sharedPassword":false}])")
      .empty());
  auto w =
    gateway::shared_password_warnings(R"([{"tenant":"a","sharedPassword":true},{"tenant":"b","sharedPassword":true}])");
  REQUIRE(w.size() == 1);
  CHECK(w[0].find("2 tenants") != std::string::npos);
  CHECK(w[0].find("a, b") != std::string::npos);
}

TEST_CASE(
  "tenant secrets: under require-tenant-passwords the gateway does not start with a shared password, "
  "and a PBX of a tenant without its own is refused") {
  net::io_runtime io{1};
  system_config cfg;
  caf::actor_system sys{cfg};
  gateway::gateway_options o;
  o.port = 0;
  o.require_tenant_passwords = true;
  o.password = "shared";
  o.domain_passwords["t1.example.com"] = "pw1";
  std::string err;
  CHECK_FALSE(gateway::gateway::start(sys, io, o, nullptr, nullptr, err));
  CHECK(err.find("gateway.password") != std::string::npos);

  o.password.clear();
  auto gw = gateway::gateway::start(sys, io, o, nullptr, nullptr, err);
  REQUIRE(gw);
  {
    auto c = test::ws_client::open(io, "ws://127.0.0.1:" + std::to_string(gw->port()) + "/t2.example.com/mpk", &err);
    REQUIRE(c);
    c->send_text(R"({"mt":"AppChallenge"})");
    auto ch = c->next_mt("AppChallengeResult");
    REQUIRE(ch);
    // A PBX of t2 (no password of its own) signing with what would have been the shared one.
    std::string info = R"({"appobj":"mpk","appurl":"x","cn":"mpk"})";
    auto digest = crypto::login_digest(
      {"innovaphone-myphonekeys", "t2.example.com", "mpk", "0123456789abcdef0123456789abcdef", "M", info},
      test::json_doc(*ch).str("challenge"), "shared");
    c->send_text(R"({"mt":"AppLogin","app":"innovaphone-myphonekeys","domain":"t2.example.com","sip":"mpk",)"
                 R"("guid":"0123456789abcdef0123456789abcdef","dn":"M","digest":")" +
                 digest + R"(","info":)" + info + "}");
    auto r = c->next_mt("AppLoginResult");
    REQUIRE(r);
    CHECK(test::json_doc(*r).str("error") == "LOGIN_FAILURE");
  }
  gw->stop();
  gw->drain(5s);
  gw.reset();
  io.stop();
  sys.await_actors_before_shutdown(false);
}
