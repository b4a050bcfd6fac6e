// The admin-UI relay end to end: a myApps user's OpenAdminUi, then plain HTTP to the gateway as a
// browser sends it, through the simulated Devices App's passthrough and sysclient tunnel to a live
// phone's admin web interface: the one-time URL and its cookie, the phone's Digest login, links
// with absolute paths, a form with its 303, the phone's cookie, a download and uploads, the audit
// log, and the ends of a relay (Unwatch, the app session gone, another tenant's cookie).

#include "common/actors/atoms.hpp"
#include "common/crypto/http_digest.hpp"
#include "services/gateway/admin_ui/relay_rules.hpp"
#include "tests/e2e/sim_state.hpp"
#include "tests/net/raw_http.hpp"

#include <caf/scoped_actor.hpp>
#include <catch2/catch.hpp>

#include <set>

using namespace mpk;
using namespace mpk::test;
using namespace std::chrono_literals;

namespace {

const std::string tenant1 = "tenant1.example.com", tenant2 = "tenant2.example.com";
const std::string admin_password = "adm-e2e-known"; ///< what tenant 1's Devices domain deploys here

/// A logged-in user watching a live phone of their tenant.
struct watcher {
  std::shared_ptr<ws_client> c;
  std::string device, hw_id;
};

/// hwIds of the simulator's live phones that are connected now.
std::set<std::string> connected_live_phones(product_fixture& f) {
  json_doc st(f.control("GET", "/control/state").second);
  std::set<std::string> out;
  simdjson::dom::array phones;
  if (st.ok && !st.root["livePhones"]["phones"].get(phones))
    for (auto p : phones) {
      std::string_view hw;
      bool connected = false;
      if (!p["hwId"].get(hw) && !p["connected"].get(connected) && connected) out.insert(std::string(hw));
    }
  return out;
}

watcher watch_live_phone(product_fixture& f, const std::string& tenant, const std::string& user) {
  auto [c, r] = f.user_client(tenant, user);
  REQUIRE(json_doc(r).boolean("ok") == true);
  auto mine = sim_devices(f, tenant);
  watcher w{c, {}, {}};
  REQUIRE(product_fixture::eventually(
    [&] {
      auto live = connected_live_phones(f);
      for (auto& [hw, d] : list_all(*c))
        if (d.online && mine.count(hw) && live.count(hw)) {
          w.device = d.id;
          w.hw_id = hw;
        }
      return !w.device.empty();
    },
    15s));
  c->send_text(R"({"mt":"Watch","src":"w","device":")" + w.device + "\"}");
  auto watch = c->next_mt("WatchResult", 10s);
  REQUIRE(watch);
  REQUIRE(json_doc(*watch).str("error").empty());
  return w;
}

/// OpenAdminUi: the relative URL the app opens, as a path on the gateway.
std::string open_admin_ui(watcher& w, const std::string& tenant) {
  w.c->send_text(R"({"mt":"OpenAdminUi","src":"a","device":")" + w.device + "\"}");
  auto r = w.c->next_mt("OpenAdminUiResult", 10s);
  REQUIRE(r);
  INFO(*r);
  auto url = json_doc(*r).str("url");
  REQUIRE(url.rfind("admin/open/", 0) == 0);
  return "/" + tenant + "/myphonekeys/" + url;
}

/// Every response the test received, to look for the passthrough in all of them at the end.
struct browser {
  int port;
  std::string cookie; ///< "name=value; ..." as a browser would send for the relay path
  std::vector<std::string> seen;

  raw_message send(const std::string& method, const std::string& target, std::vector<std::string> fields = {},
                   std::optional<std::string_view> body = std::nullopt) {
    raw_client c(port);
    fields.push_back("Host: 127.0.0.1:" + std::to_string(port)); // as a browser names the gateway
    if (!cookie.empty()) fields.push_back("Cookie: " + cookie);
    fields.push_back("Connection: close");
    REQUIRE(c.send(request_bytes(method, target, fields, body)));
    auto r = c.response(method == "HEAD");
    REQUIRE(r);
    seen.push_back(r->head_text() + "\n" + r->body);
    return *r;
  }
};

/// A Digest answer as the browser computes it: over the path it requested, a fresh nonce count each time.
std::string digest_for(const raw_message& challenge_response, const std::string& method, const std::string& uri) {
  static std::uint32_t nc = 0;
  auto c = crypto::http_digest::parse_challenge(challenge_response.field("WWW-Authenticate"));
  REQUIRE(c);
  return "Authorization: " +
         crypto::http_digest::authorization(*c, "admin", admin_password, method, uri, ++nc, "e2ecnonce");
}

std::string set_cookie_pair(const raw_message& r, const std::string& name) {
  for (auto& v : r.all("Set-Cookie"))
    if (v.rfind(name + "=", 0) == 0) return v.substr(0, v.find(';'));
  return {};
}

/// The passthrough URL of a device, as the registry holds it (the test may know it; no browser may).
std::string passthrough_of(product_fixture& f, const std::string& device) {
  caf::scoped_actor self{*f.sys};
  std::string base;
  self->request(f.registry, 5s, atom::target_v, device, std::vector<std::string>{})
    .receive([&](const phone_target& t) { base = t.base_url; }, [&](const caf::error&) {});
  REQUIRE(!base.empty());
  return base;
}

/// Sets tenant 1's deployed admin password to a known one; its connected phones get it (0x0003).
void deploy_known_password(product_fixture& f) {
  auto id = sim_domain_id(f, tenant1);
  REQUIRE(id > 0);
  auto r = f.control(
    "POST", "/control/domain",
    R"({"id":)" + std::to_string(id) + R"(,"deployAdminPasswords":true,"adminPassword":")" + admin_password + "\"}");
  REQUIRE(r.first == 200);
}

product_options relay_options() {
  product_options o;
  o.devices = 60;
  o.domains = 4;
  o.live_phones = 8;
  o.admin_ui.grace = 500ms;
  o.admin_ui.max_upload = 4u << 20;
  return o;
}

} // namespace

TEST_CASE("admin UI relay: the phone's login, links, form, cookie, download, uploads and audit, all inside the relay") {
  product_fixture f(relay_options());
  deploy_known_password(f);
  auto w = watch_live_phone(f, tenant1, "admin1");
  auto open = open_admin_ui(w, tenant1);
  browser b{f.gw->port(), {}, {}};

  // The one-time URL: a cookie for the relay path only, and the phone's start page.
  auto first = b.send("GET", open);
  REQUIRE(first.status() == 303);
  auto prefix = first.field("Location");
  REQUIRE(prefix.rfind("/" + tenant1 + "/myphonekeys/admin/", 0) == 0);
  auto relay_cookie = first.field("Set-Cookie");
  CHECK(relay_cookie.find("; Path=" + prefix + "; HttpOnly; SameSite=Strict") != std::string::npos);
  CHECK(relay_cookie.find("Secure") == std::string::npos); // plain HTTP here
  CHECK(b.send("GET", open).status() == 403);              // the same URL again
  CHECK(b.send("GET", prefix).status() == 403);            // the relay without its cookie
  b.cookie = set_cookie_pair(first, "mpk_admin_ui");

  auto start = b.send("GET", prefix);
  REQUIRE(start.status() == 200);
  CHECK(start.body.find("<h1>innovaphone ") != std::string::npos);
  CHECK(start.body.find(w.hw_id) != std::string::npos);
  CHECK(start.field("Referrer-Policy") == "same-origin");

  // The phone's own login prompt comes through; the browser's Digest answer goes back.
  auto settings = prefix + "ADMIN/settings.htm";
  std::optional<raw_message> page;
  REQUIRE(product_fixture::eventually(
    [&] { // until the known password reached the phone
      auto prompt = b.send("GET", settings);
      REQUIRE(prompt.status() == 401);
      page = b.send("GET", settings, {digest_for(prompt, "GET", settings)});
      return page->status() == 200;
    },
    10s));
  auto challenge = b.send("GET", settings);
  auto phone_cookie = set_cookie_pair(*page, "ui-session");
  REQUIRE(!phone_cookie.empty());
  CHECK(page->field("Set-Cookie").find("Path=" + prefix) != std::string::npos); // the phone's "/" is the prefix
  b.cookie += "; " + phone_cookie;

  // A link with an absolute path leaves the prefix; the page's Referer brings it back (307).
  auto stray =
    b.send("GET", "/ADMIN/settings.htm", {"Referer: http://127.0.0.1:" + std::to_string(f.gw->port()) + settings});
  CHECK(stray.status() == 307);
  CHECK(stray.field("Location") == settings);
  auto stray_post =
    b.send("POST", "/ADMIN/settings", {"Referer: http://127.0.0.1:" + std::to_string(f.gw->port()) + settings},
           std::string_view("location=x"));
  CHECK(stray_post.status() == 307); // keeps method and body
  CHECK(stray_post.field("Location") == prefix + "ADMIN/settings");

  // The form: 303 to a page inside the relay that shows the change and the phone's cookie.
  auto post_uri = prefix + "ADMIN/settings";
  auto saved = b.send("POST", post_uri,
                      {digest_for(challenge, "POST", post_uri), "Content-Type: application/x-www-form-urlencoded"},
                      std::string_view("location=Room+4.12"));
  REQUIRE(saved.status() == 303);
  CHECK(saved.field("Location") == prefix + "ADMIN/settings.htm?saved=1");
  auto after = b.send("GET", saved.field("Location"), {digest_for(challenge, "GET", saved.field("Location"))});
  CHECK(after.status() == 200);
  CHECK(after.body.find("<span id=\"location\">Room 4.12</span>") != std::string::npos);
  CHECK(after.body.find("<span id=\"cookie\">" + phone_cookie.substr(11) + "</span>") != std::string::npos);

  // A download of a few MB with its file name; a range of it; the stylesheet's validators.
  auto backup_uri = prefix + "ADMIN/backup.cfg";
  auto file = b.send("GET", backup_uri, {digest_for(challenge, "GET", backup_uri)});
  CHECK(file.status() == 200);
  CHECK(file.body.size() == (3u << 20));
  CHECK(file.field("Content-Disposition") ==
        "attachment; filename=\"" + sim_devices(f).at(w.hw_id).product + "-" + w.hw_id + "-config.txt\"");
  auto part = b.send("GET", backup_uri, {digest_for(challenge, "GET", backup_uri), "Range: bytes=100-199"});
  CHECK(part.status() == 206);
  CHECK(part.body == file.body.substr(100, 100));
  auto css = b.send("GET", prefix + "admin.css");
  CHECK(b.send("GET", prefix + "admin.css", {"If-None-Match: " + css.field("ETag")}).status() == 304);

  // Uploads: within the limit to the phone (303 to a relative Location, resolved into the
  // relay), beyond it refused by the relay.
  auto upload_uri = prefix + "ADMIN/upload";
  std::string firmware(2u << 20, 'F');
  auto up = b.send("POST", upload_uri, {digest_for(challenge, "POST", upload_uri)}, std::string_view(firmware));
  CHECK(up.status() == 303);
  CHECK(up.field("Location") == prefix + "ADMIN/maintenance.htm?uploaded=" + std::to_string(firmware.size()));
  std::string too_big((4u << 20) + 1, 'F');
  CHECK(b.send("POST", upload_uri, {digest_for(challenge, "POST", upload_uri)}, std::string_view(too_big)).status() ==
        413);

  // A raw command line is a change although it is a GET.
  b.send("GET", prefix + "!mem");

  // Audit: the opening, every non-GET request and command lines, with who, phone, method, path and status (the
  // refused upload's entry is written once the relay has drained the rest of it).
  std::optional<std::string> audit;
  product_fixture::eventually(
    [&] {
      w.c->send_text(R"({"mt":"GetAudit","src":"au","device":")" + w.device + "\"}");
      audit = w.c->next_mt("GetAuditResult", 10s);
      return audit && audit->find("HTTP 413") != std::string::npos;
    },
    10s);
  REQUIRE(audit);
  INFO(*audit);
  for (auto what : {"\"what\":\"open\"", "\"what\":\"POST /ADMIN/settings\"", "\"result\":\"HTTP 303\"",
                    "\"what\":\"POST /ADMIN/upload\"", "\"result\":\"HTTP 413\"", "\"kind\":\"admin-ui\"",
                    "\"what\":\"GET /!mem\"", "\"sip\":\"admin1\""})
    CHECK(audit->find(what) != std::string::npos);
  CHECK(audit->find(w.hw_id) != std::string::npos);

  // No answer ever carried the passthrough key or the Devices App's passthrough URL.
  for (auto& secret : gateway::admin_ui::secrets_of(passthrough_of(f, w.device)))
    for (auto& r : b.seen) CHECK(r.find(secret) == std::string::npos);

  // Unwatch ends the relay.
  w.c->send_text(R"({"mt":"Unwatch","src":"u","device":")" + w.device + "\"}");
  REQUIRE(w.c->next_mt("UnwatchResult"));
  CHECK(b.send("GET", prefix).status() == 403);
}

TEST_CASE("admin UI relay: another tenant's cookie is refused, the relay ends with its app session past the grace") {
  product_fixture f(relay_options());
  auto w1 = watch_live_phone(f, tenant1, "admin1");
  auto w2 = watch_live_phone(f, tenant2, "admin2");
  browser b1{f.gw->port(), {}, {}}, b2{f.gw->port(), {}, {}};
  auto r1 = b1.send("GET", open_admin_ui(w1, tenant1));
  auto r2 = b2.send("GET", open_admin_ui(w2, tenant2));
  REQUIRE(r1.status() == 303);
  REQUIRE(r2.status() == 303);
  auto p1 = r1.field("Location"), p2 = r2.field("Location");
  b1.cookie = set_cookie_pair(r1, "mpk_admin_ui");
  b2.cookie = set_cookie_pair(r2, "mpk_admin_ui");
  CHECK(b1.send("GET", p1).status() == 200);
  CHECK(b2.send("GET", p2).status() == 200);
  CHECK(b1.send("GET", p2).status() == 403); // tenant 1's cookie on tenant 2's relay
  CHECK(b2.send("GET", p1).status() == 403);
  // Tenant 2's relay id under tenant 1's app path, with its own cookie: refused as well.
  auto moved = "/" + tenant1 + p2.substr(p2.find("/myphonekeys/"));
  CHECK(b2.send("GET", moved).status() == 403);

  // OpenAdminUi needs the phone watched; a foreign phone stays unknown.
  w1.c->send_text(R"({"mt":"OpenAdminUi","src":"x","device":")" + w2.device + "\"}");
  auto foreign = w1.c->next_mt("OpenAdminUiResult");
  REQUIRE(foreign);
  CHECK(json_doc(*foreign).str("error") == "UNKNOWN_DEVICE");

  // The app session of tenant 1 closes (logout): the relay lives through the grace, then ends.
  w1.c->close();
  REQUIRE(w1.c->wait_closed());
  REQUIRE(product_fixture::eventually([&] { return b1.send("GET", p1).status() == 403; }, 5s));
  CHECK(b2.send("GET", p2).status() == 200); // the other tenant's relay is untouched
}

TEST_CASE("admin UI relay: with injected credentials the phone's login is answered by the relay") {
  auto o = relay_options();
  o.admin_ui.inject_credentials = true;
  o.admin_ui.passwords[tenant1] = admin_password; // only tenant 1's domain deploys one here
  product_fixture f(o);
  deploy_known_password(f);
  auto w = watch_live_phone(f, tenant1, "admin1");
  browser b{f.gw->port(), {}, {}};
  auto first = b.send("GET", open_admin_ui(w, tenant1));
  REQUIRE(first.status() == 303);
  auto prefix = first.field("Location");
  b.cookie = set_cookie_pair(first, "mpk_admin_ui");
  auto settings = prefix + "ADMIN/settings.htm";
  // No Authorization from the browser, and no 401 reaches it.
  REQUIRE(product_fixture::eventually([&] { return b.send("GET", settings).status() == 200; }, 10s));
  auto saved = b.send("POST", prefix + "ADMIN/settings", {"Content-Type: application/x-www-form-urlencoded"},
                      std::string_view("location=injected"));
  CHECK(saved.status() == 303); // the challenge of the GET answered ahead of the POST
  auto shown = b.send("GET", saved.field("Location"));
  CHECK(shown.body.find("<span id=\"location\">injected</span>") != std::string::npos);

  // A tenant whose domain has no configured password: the phone's prompt reaches the browser.
  auto w2 = watch_live_phone(f, tenant2, "admin2");
  browser b2{f.gw->port(), {}, {}};
  auto r2 = b2.send("GET", open_admin_ui(w2, tenant2));
  b2.cookie = set_cookie_pair(r2, "mpk_admin_ui");
  CHECK(b2.send("GET", r2.field("Location") + "ADMIN/settings.htm").status() == 401);
}
