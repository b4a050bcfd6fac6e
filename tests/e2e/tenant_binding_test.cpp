// Issue 9: a myApps user of tenant 1 presents a login at tenant 2's App object. Each tenant's App
// object has its own password, as in a hosted installation. Every variant is refused with a clear
// error and the connection is closed; tenant 2's users and list are untouched.

#include "tests/e2e/sim_state.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace mpk::test;
using namespace std::chrono_literals;

namespace {

std::string challenge_of(ws_client& c) {
  c.send_text(R"({"mt":"AppChallenge"})");
  auto ch = c.next_mt("AppChallengeResult");
  REQUIRE(ch);
  return json_doc(*ch).str("challenge");
}

/// Sends `login` on `c`; the AppLoginResult must refuse with `error` and the socket must close.
void expect_refused(ws_client& c, const std::string& login, const std::string& error, const std::string& text_part) {
  c.send_text(login);
  auto r = c.next_mt("AppLoginResult");
  REQUIRE(r);
  INFO(*r);
  json_doc d(*r);
  CHECK(d.boolean("ok") == false);
  CHECK(d.str("error") == error);
  CHECK(d.str("errorText").find(text_part) != std::string::npos);
  CHECK(c.wait_closed());
}

std::set<std::string> ids_of(const std::map<std::string, listed_device>& l) {
  std::set<std::string> ids;
  for (auto& [hw, d] : l) ids.insert(d.id + "|" + d.name + (d.stale ? "|stale" : ""));
  return ids;
}

} // namespace

TEST_CASE("tenant binding: an AppLogin for another tenant's App object is refused, that tenant is unaffected") {
  product_options o;
  o.tenant_passwords = true;
  product_fixture f(o);
  const std::string t1 = "tenant1.example.com", t2 = "tenant2.example.com";

  // Tenant 2's user is logged in and has its list before the attempts.
  auto [victim, rv] = f.user_client(t2, "admin2");
  REQUIRE(json_doc(rv).boolean("ok") == true);
  auto sim2 = sim_devices(f, t2);
  REQUIRE(!sim2.empty());
  std::map<std::string, listed_device> before;
  REQUIRE(product_fixture::eventually([&] { return (before = list_all(*victim)).size() == sim2.size(); }, 15s));

  std::string err;
  SECTION("tenant 1's genuine login presented at tenant 2's App object URL") {
    auto c = ws_client::open(f.io, f.gateway_ws(t2), &err);
    REQUIRE(c);
    auto login = f.pbx_issued_login(t1, "admin1", challenge_of(*c));
    expect_refused(*c, login.frame(), "WRONG_APP_OBJECT", "issued for the App object at /" + t1 + "/myphonekeys");
  }
  SECTION("the login rewritten to name tenant 2's PBX: the digest no longer matches") {
    auto c = ws_client::open(f.io, f.gateway_ws(t2), &err);
    REQUIRE(c);
    auto login = f.pbx_issued_login(t1, "admin1", challenge_of(*c));
    login.domain = t2;
    expect_refused(*c, login.frame(), "LOGIN_FAILURE", "wrong digest");
  }
  SECTION("pbxObj (outside the digest) names another App object than the one signed") {
    auto c = ws_client::open(f.io, f.gateway_ws(t1), &err);
    REQUIRE(c);
    auto login = f.pbx_issued_login(t1, "admin1", challenge_of(*c));
    login.pbx_obj = "devices-api";
    expect_refused(*c, login.frame(), "WRONG_APP_OBJECT", "pbxObj 'devices-api'");
  }

  // Nothing else changed: tenant 2's open session keeps its list, new tenant 2 logins work, and
  // tenant 1's user still gets in at its own App object.
  victim->send_text(R"({"mt":"KeepAlive","src":"after"})");
  CHECK(victim->next_mt("KeepAlive"));
  CHECK(ids_of(list_all(*victim)) == ids_of(before));
  auto [again, ra] = f.user_client(t2, "admin2");
  CHECK(json_doc(ra).boolean("ok") == true);
  auto [own, ro] = f.user_client(t1, "admin1");
  CHECK(json_doc(ro).boolean("ok") == true);
}
