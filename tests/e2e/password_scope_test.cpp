// A password login in the SDK's own form (Connection.js with a password: pbxObj = name, no info)
// is scoped by what verified it and by the URL it arrived on: the operator sees every tenant, a
// tenant's App object password at that tenant's URL sees that tenant only, and a URL of a tenant
// that does not exist is refused.

#include "tests/e2e/sim_state.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace mpk::test;
using namespace std::chrono_literals;

namespace {

const std::string t1 = "tenant1.example.com", t2 = "tenant2.example.com";

/// Opens `url`, logs in with a password login and returns the client with its AppLoginResult.
std::pair<std::shared_ptr<ws_client>, std::string> password_client(product_fixture& f, const std::string& url,
                                                                   const std::string& name, const std::string& pw) {
  std::string err;
  auto c = ws_client::open(f.io, url, &err);
  REQUIRE(c);
  c->send_text(R"({"mt":"AppChallenge"})");
  auto ch = c->next_mt("AppChallengeResult");
  REQUIRE(ch);
  c->send_text(product_fixture::password_login(json_doc(*ch).str("challenge"), name, pw));
  auto r = c->next_mt("AppLoginResult");
  REQUIRE(r);
  return {c, *r};
}

std::set<std::string> hw_ids(const std::map<std::string, listed_device>& l) {
  std::set<std::string> s;
  for (auto& [hw, d] : l) s.insert(hw);
  return s;
}

std::set<std::string> hw_ids(const std::map<std::string, sim_device>& l) {
  std::set<std::string> s;
  for (auto& [hw, d] : l) s.insert(hw);
  return s;
}

void check_scope(product_fixture& f, bool tenant_passwords) {
  // Every tenant: the devices of both PBXs' domains (the Devices App also holds domains no PBX here grants).
  auto all = sim_devices(f, t1), only2 = sim_devices(f, t2);
  REQUIRE(!only2.empty());
  REQUIRE(!all.empty());
  all.insert(only2.begin(), only2.end());

  // The operator, logged in at tenant 2's URL, sees every tenant.
  auto [op, rop] = password_client(f, f.gateway_ws(t2), "admin", product_fixture::operator_secret());
  REQUIRE(json_doc(rop).boolean("ok") == true);
  std::map<std::string, listed_device> seen;
  CHECK(product_fixture::eventually([&] { return hw_ids(seen = list_all(*op)) == hw_ids(all); }, 20s));

  // Tenant 2's App object password at tenant 2's URL: tenant 2's phones, nothing of tenant 1.
  auto [admin2, r2] = password_client(f, f.gateway_ws(t2), "pbx-admin", f.app_password(2));
  REQUIRE(json_doc(r2).boolean("ok") == true);
  CHECK(product_fixture::eventually([&] { return hw_ids(seen = list_all(*admin2)) == hw_ids(only2); }, 20s));
  for (auto& [hw, d] : seen) CHECK(d.domain_name == t2);
  admin2->send_text(R"({"mt":"GetDomains","src":"d"})");
  auto domains = admin2->next_mt("GetDomainsResult");
  REQUIRE(domains);
  CHECK(domains->find(t1) == std::string::npos);
  CHECK(domains->find(t2) != std::string::npos);

  if (tenant_passwords) {
    // Tenant 1's own password does not open tenant 2's URL.
    auto [wrong, rw] = password_client(f, f.gateway_ws(t2), "pbx-admin", f.app_password(1));
    CHECK(json_doc(rw).str("error") == "LOGIN_FAILURE");
    CHECK(wrong->wait_closed());
  }
  // A URL of a tenant that no PBX is: refused, whatever password.
  auto [unknown, ru] = password_client(f, f.gateway_ws("tenant9.example.com"), "pbx-admin", f.app_password(2));
  CHECK(json_doc(ru).boolean("ok") == false);
  CHECK((json_doc(ru).str("error") == "NO_PBX" || json_doc(ru).str("error") == "LOGIN_FAILURE"));
  CHECK(unknown->wait_closed());
}

} // namespace

TEST_CASE("password login scope: one shared App object password") {
  product_options o;
  o.tenants = 2;
  product_fixture f(o);
  check_scope(f, false);
}

TEST_CASE("password login scope: each tenant with its own App object password") {
  product_options o;
  o.tenants = 2;
  o.tenant_passwords = true;
  product_fixture f(o);
  check_scope(f, true);
}
