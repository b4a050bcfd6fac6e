// A user login is good only at the App object it was issued for (docs/spec/appwebsocket.md §5.2):
// the pure rule behind the gateway's WRONG_APP_OBJECT refusal.

#include "services/gateway/app_object_binding.hpp"

#include <catch2/catch.hpp>

using mpk::gateway::app_object_claim;
using mpk::gateway::app_object_mismatch;

namespace {

const std::map<std::string, std::string> tenants{{"t1.example.com", "pw1"}, {"t2.example.com", "pw2"}};
constexpr std::string_view url1 = "https://mpk.example.net/t1.example.com/mpk/innovaphone-myphonekeys";

} // namespace

TEST_CASE("app object binding: a login at the App object it was issued for passes") {
  CHECK(app_object_mismatch({"/t1.example.com/mpk", "t1.example.com", "myphonekeys", "myphonekeys", url1}, tenants) ==
        "");
  // The App URL itself as the websocket target, names in another case, no info at all.
  CHECK(app_object_mismatch(
          {"/T1.example.com/mpk/innovaphone-myphonekeys", "t1.example.com", "myphonekeys", "myphonekeys", url1},
          tenants) == "");
  CHECK(app_object_mismatch({"/t1.example.com/mpk", "t1.example.com", "", std::nullopt, std::nullopt}, tenants) == "");
  // A single-tenant installation: the URL names the instance domain, not the PBX.
  CHECK(app_object_mismatch({"/example.com/mpk", "pbx.example.org", "myphonekeys", "myphonekeys",
                             std::string_view("http://h/example.com/mpk/innovaphone-myphonekeys")},
                            tenants) == "");
}

TEST_CASE("app object binding: another tenant's App object URL is refused") {
  // A login tenant 1's PBX issued (appurl of tenant 1), presented at tenant 2's App object.
  auto why =
    app_object_mismatch({"/t2.example.com/mpk", "t1.example.com", "myphonekeys", "myphonekeys", url1}, tenants);
  CHECK(why == "this login was issued for the App object at /t1.example.com/mpk, not for /t2.example.com/mpk");
  // Without appurl the tenant's own URL still decides.
  why =
    app_object_mismatch({"/t2.example.com/mpk", "t1.example.com", "myphonekeys", "myphonekeys", std::nullopt}, tenants);
  CHECK(why == "this is the App object of t2.example.com, the login came through t1.example.com");
}

TEST_CASE("app object binding: a pbxObj that is not the signed appobj is refused") {
  auto why = app_object_mismatch({"/t1.example.com/mpk", "t1.example.com", "other-app", "myphonekeys", url1}, tenants);
  CHECK(why == "pbxObj 'other-app' is not the App object 'myphonekeys' this login was issued for");
}
