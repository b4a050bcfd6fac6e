// The simulated myApps shell: pages, the login endpoint and the logins pbx_sim issues for users.
#include "common/crypto/login_digest.hpp"
#include "common/crypto/session_key.hpp"
#include "common/json/envelope.hpp"
#include "common/net/io_runtime.hpp"
#include "sim/shell/query.hpp"
#include "sim/shell/shell.hpp"

#include <catch2/catch.hpp>

using namespace mpk;

namespace {

sim::pbx_config tenant(int i) {
  sim::pbx_config c;
  auto n = std::to_string(i);
  c.system_name = "tenant" + n + ".example.com";
  c.pbx_name = "pbx-main";
  c.product_url = "ws://127.0.0.1:1/" + c.system_name + "/myphonekeys";
  c.app_object = "myphonekeys";
  c.app_dn = "myPhoneKeys";
  c.app_guid = "0123456789abcdef0123456789abcdef";
  c.app_password = "secret" + n;
  c.app_url = "http://127.0.0.1:8080/" + c.system_name + "/myphonekeys/innovaphone-myphonekeys";
  c.users.push_back({"admin" + n, "Admin <" + n + ">", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + n, true});
  c.users.push_back({"guest" + n, "Guest " + n, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" + n, false});
  return c;
}

net::http_request_info get(std::string target) {
  net::http_request_info r;
  r.method = "GET";
  r.target = std::move(target);
  r.remote = "127.0.0.1:5555";
  return r;
}

/// Checks an AppGetLoginResult the way the product checks the AppLogin built from it.
void verify_user_login(const std::string& text, const sim::pbx_config& cfg, std::string_view user,
                       std::string_view challenge, bool expect_unlicensed) {
  json::envelope_parser parser;
  json::envelope_errc err{};
  auto* e = parser.parse(text, err);
  REQUIRE(e);
  CHECK(e->mt() == "AppGetLoginResult");
  CHECK_FALSE(e->has("error"));
  CHECK(e->string("sip") == std::optional<std::string_view>(user));
  CHECK(e->string("domain") == std::optional<std::string_view>(cfg.system_name));
  CHECK(e->string("app") == std::optional<std::string_view>("innovaphone-myphonekeys"));
  CHECK(e->string("pbxObj") == std::optional<std::string_view>(cfg.app_object));
  crypto::login_fields f{std::string(*e->string("app")), std::string(*e->string("domain")),
                         std::string(*e->string("sip")), std::string(*e->string("guid")),
                         std::string(*e->string("dn")),  std::nullopt};
  std::string info(e->raw("info").value_or(""));
  std::string digest(e->string("digest").value_or(""));
  CHECK(crypto::verify_login_digest(f, info, challenge, cfg.app_password, digest));
  CHECK_FALSE(crypto::verify_login_digest(f, info, challenge, cfg.app_password + "x", digest));
  CHECK((info.find(R"("unlicensed":true)") != std::string::npos) == expect_unlicensed);
  CHECK(info.find(R"("groups":[],"apps":[]})") != std::string::npos);
  CHECK(e->string("key") == std::optional<std::string_view>(crypto::session_key(challenge, cfg.app_password)));
  CHECK(e->string("salt").value_or("").size() == 16);
}

} // namespace

TEST_CASE("app_get_login for a licensed and an unlicensed user", "[sim_pbx][shell]") {
  net::io_runtime rt{1};
  auto pbx = std::make_shared<sim::pbx_sim>(rt, tenant(1));
  verify_user_login(pbx->app_get_login("admin1", "myphonekeys", "0123456789abcdef"), pbx->config(), "admin1",
                    "0123456789abcdef", false);
  verify_user_login(pbx->app_get_login("guest1", "myphonekeys", "9876"), pbx->config(), "guest1", "9876", true);
  auto unknown = pbx->app_get_login("admin2", "myphonekeys", "1");
  CHECK(unknown.find(R"("error":"unknown user")") != std::string::npos);
  // Test mode marks every login.
  auto cfg = tenant(3);
  cfg.test_mode = true;
  auto tm = std::make_shared<sim::pbx_sim>(rt, cfg);
  CHECK(tm->app_get_login("admin3", "myphonekeys", "1").find(R"("testmode":true,"groups":[])") != std::string::npos);
}

TEST_CASE("shell: query targets are decoded and bad ones refused", "[sim_pbx][shell]") {
  auto t = sim::parse_shell_target("/shell/login?pbx=t1.example.com&user=a%20b&x&challenge=1+2#frag");
  REQUIRE(t);
  CHECK(t->path == "/shell/login");
  CHECK(t->param("pbx") == "t1.example.com");
  CHECK(t->param("user") == "a b");
  CHECK(t->param("challenge") == "1 2");
  CHECK(t->param("x").empty());
  CHECK(t->param("missing").empty());
  CHECK_FALSE(sim::parse_shell_target("/shell/?user=%"));
  CHECK_FALSE(sim::parse_shell_target("/shell/?user=%4"));
  CHECK_FALSE(sim::parse_shell_target("/shell/?user=%zz"));
  CHECK_FALSE(sim::parse_shell_target("shell"));
  CHECK_FALSE(sim::parse_shell_target(""));
  CHECK(sim::url_encode("a b/c&d") == "a%20b%2Fc%26d");
}

TEST_CASE("shell: only /shell paths are the shell's", "[sim_pbx][shell]") {
  net::io_runtime rt{1};
  std::vector<std::shared_ptr<sim::pbx_sim>> pbxs{std::make_shared<sim::pbx_sim>(rt, tenant(1))};
  CHECK_FALSE(sim::shell_http(get("/"), pbxs));
  CHECK_FALSE(sim::shell_http(get("/shellfish"), pbxs));
  CHECK_FALSE(sim::shell_http(get("/tenant1.example.com/myphonekeys"), pbxs));
  CHECK_FALSE(sim::shell_http(get(""), pbxs));
  auto r = sim::shell_http(get("/shell/nothing"), pbxs);
  REQUIRE(r);
  CHECK(r->status == 404);
  auto post = get("/shell/login");
  post.method = "POST";
  r = sim::shell_http(post, pbxs);
  REQUIRE(r);
  CHECK(r->status == 405);
  r = sim::shell_http(get("/shell/?pbx=%zz"), pbxs);
  REQUIRE(r);
  CHECK(r->status == 400);
}

TEST_CASE("shell: index lists every PBX and its users", "[sim_pbx][shell]") {
  net::io_runtime rt{1};
  std::vector<std::shared_ptr<sim::pbx_sim>> pbxs{std::make_shared<sim::pbx_sim>(rt, tenant(1)),
                                                  std::make_shared<sim::pbx_sim>(rt, tenant(2))};
  for (std::string target : {"/shell/", "/shell"}) {
    auto r = sim::shell_http(get(target), pbxs);
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->content_type.find("text/html") == 0);
    CHECK(r->body.find("tenant1.example.com") != std::string::npos);
    CHECK(r->body.find(R"(href="/shell/?pbx=tenant2.example.com&amp;user=guest2")") != std::string::npos);
    CHECK(r->body.find("down (not started)") != std::string::npos);
    // Display names are escaped, never markup.
    CHECK(r->body.find("Admin &lt;1&gt;") != std::string::npos);
    CHECK(r->body.find("Admin <1>") == std::string::npos);
  }
  auto one = sim::shell_http(get("/shell/?pbx=tenant2.example.com"), pbxs);
  REQUIRE(one);
  CHECK(one->status == 200);
  CHECK(one->body.find("tenant1.example.com") == std::string::npos);
  auto unknown = sim::shell_http(get("/shell/?pbx=tenant9.example.com&user=admin1"), pbxs);
  REQUIRE(unknown);
  CHECK(unknown->status == 404);
  auto nouser = sim::shell_http(get("/shell/?pbx=tenant1.example.com&user=admin2"), pbxs);
  REQUIRE(nouser);
  CHECK(nouser->status == 404);
}

TEST_CASE("shell: user page embeds the app and relays getLogin", "[sim_pbx][shell]") {
  net::io_runtime rt{1};
  std::vector<std::shared_ptr<sim::pbx_sim>> pbxs{std::make_shared<sim::pbx_sim>(rt, tenant(1))};
  auto r = sim::shell_http(get("/shell/?pbx=tenant1.example.com&user=guest1"), pbxs);
  REQUIRE(r);
  CHECK(r->status == 200);
  const auto& b = r->body;
  CHECK(b.find(R"(<iframe id="app")") != std::string::npos);
  CHECK(
    b.find(
      R"(src="http://127.0.0.1:8080/tenant1.example.com/myphonekeys/innovaphone-myphonekeys.htm?name=myphonekeys&amp;lang=en")") !=
    std::string::npos);
  CHECK(b.find(R"(<option value="guest1" selected>)") != std::string::npos);
  CHECK(b.find(R"(<option value="admin1">)") != std::string::npos);
  CHECK(b.find(R"({"pbx":"tenant1.example.com","user":"guest1"})") != std::string::npos);
  CHECK(b.find("'getLogin'") != std::string::npos);
  CHECK(b.find("/shell/login?") != std::string::npos);
  CHECK(b.find("postMessage(") != std::string::npos);
  CHECK(b.find("mt: 'Login'") != std::string::npos);
  CHECK(b.find("Admin <1>") == std::string::npos);
}

TEST_CASE("shell: login endpoint returns the PBX-issued login", "[sim_pbx][shell]") {
  net::io_runtime rt{1};
  std::vector<std::shared_ptr<sim::pbx_sim>> pbxs{std::make_shared<sim::pbx_sim>(rt, tenant(1)),
                                                  std::make_shared<sim::pbx_sim>(rt, tenant(2))};
  auto r = sim::shell_http(
    get("/shell/login?pbx=tenant2.example.com&user=admin2&app=myphonekeys&challenge=0123456789abcdef"), pbxs);
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->content_type == "application/json");
  verify_user_login(r->body, pbxs[1]->config(), "admin2", "0123456789abcdef", false);

  r = sim::shell_http(get("/shell/login?pbx=tenant1.example.com&user=guest1&app=myphonekeys&challenge=42"), pbxs);
  REQUIRE(r);
  CHECK(r->status == 200);
  verify_user_login(r->body, pbxs[0]->config(), "guest1", "42", true);

  // Tenant isolation: a user of tenant 2 is unknown on tenant 1.
  r = sim::shell_http(get("/shell/login?pbx=tenant1.example.com&user=admin2&app=myphonekeys&challenge=42"), pbxs);
  REQUIRE(r);
  CHECK(r->status == 404);
  CHECK(r->body.find(R"("error":"unknown user")") != std::string::npos);

  r = sim::shell_http(get("/shell/login?pbx=nowhere&user=admin1&app=myphonekeys&challenge=42"), pbxs);
  REQUIRE(r);
  CHECK(r->status == 404);
  CHECK(r->body.find(R"("error":"unknown pbx")") != std::string::npos);

  r = sim::shell_http(get("/shell/login?pbx=tenant1.example.com&user=admin1&app=myphonekeys"), pbxs);
  REQUIRE(r);
  CHECK(r->status == 400);
  CHECK(r->body.find(R"("error":"bad challenge")") != std::string::npos);
}
