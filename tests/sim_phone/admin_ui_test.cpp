// The simulated phone's admin web interface, as a browser drives it: the open info page, the
// Digest login (wrong password, a new deployed password), the settings form with its 303, the
// session cookie, the stylesheet's validators, the download (whole and a range), the upload.

#include "sim/phone/admin_ui.hpp"
#include "sim/phone/phone_web.hpp"

#include "common/crypto/http_digest.hpp"
#include "common/models/registrations.hpp"

#include <catch2/catch.hpp>

using namespace mpk;
using namespace mpk::sim_phone;

namespace {

const phone_identity id{"009033020202", "IP222", "13r2 sr1 [13.4250]", "Alice", "10.0.0.5", "201"};

std::string field(const web_response& r, std::string_view name) {
  for (auto& [k, v] : r.headers)
    if (k == name) return v;
  return {};
}

/// A browser's Digest client: answers the last challenge, counting nc up.
struct browser {
  admin_ui& ui;
  std::string user = "admin", password{};
  std::optional<crypto::http_digest::challenge> c{};
  std::uint32_t nc = 0;
  std::vector<models::registration> regs{};

  web_response send(std::string method, std::string target, std::string body = {}, web_fields extra = {}) {
    web_request req{method, target, std::move(body), std::move(extra)};
    if (c)
      req.headers.emplace_back("Authorization",
                               crypto::http_digest::authorization(*c, user, password, method, target, ++nc, "cn"));
    auto r = ui.handle(req, regs);
    if (r.status == 401) {
      auto fresh = crypto::http_digest::parse_challenge(field(r, "WWW-Authenticate"));
      REQUIRE(fresh);
      bool retry = !c || fresh->stale;
      c = fresh;
      nc = 0;
      if (retry && !password.empty()) return send(method, target, req.body, {});
    }
    return r;
  }
};

} // namespace

TEST_CASE("sim admin UI: the info page is open, every other page wants the admin password") {
  admin_ui ui("IP222", id);
  CHECK(admin_ui::serves("/"));
  CHECK(admin_ui::serves("/ADMIN/settings.htm"));
  CHECK_FALSE(admin_ui::serves("/lcd_dump.bmp"));
  browser anonymous{ui};
  auto info = anonymous.send("GET", "/");
  CHECK(info.status == 200);
  CHECK(info.body.find("<h1>innovaphone IP222</h1>") != std::string::npos);
  CHECK(info.body.find("href=\"/ADMIN/settings.htm\"") != std::string::npos);   // an absolute link
  CHECK(info.body.find("href=\"ADMIN/maintenance.htm\"") != std::string::npos); // a relative one
  auto locked = anonymous.send("GET", "/ADMIN/settings.htm");
  CHECK(locked.status == 401);
  auto c = crypto::http_digest::parse_challenge(field(locked, "WWW-Authenticate"));
  REQUIRE(c);
  CHECK(c->realm == "IP222-020202");
  CHECK(c->qop_auth);

  browser nothing{ui, "admin", ""};
  CHECK(nothing.send("GET", "/ADMIN/settings.htm").status == 401); // no password set yet: no login at all
  ui.set_password("ipphone");                                      // the simulator's phone-password
  browser wrong{ui, "admin", "guess"};
  CHECK(wrong.send("GET", "/ADMIN/settings.htm").status == 401);
  browser factory{ui, "admin", "ipphone"};
  CHECK(factory.send("GET", "/ADMIN/settings.htm").status == 200);

  ui.set_password("adm-deployed"); // sysclient 0x0003
  CHECK(factory.send("GET", "/ADMIN/settings.htm").status == 401);
  browser admin{ui, "admin", "adm-deployed"};
  CHECK(admin.send("GET", "/ADMIN/settings.htm").status == 200);

  // A phone that checks the digest over the uri the browser named: an answer computed for the
  // relay's path passes (docs/app-protocol.md §7).
  web_request prefixed{"GET", "/ADMIN/settings.htm", "", {}};
  prefixed.headers.emplace_back(
    "Authorization", crypto::http_digest::authorization(*admin.c, "admin", "adm-deployed", "GET",
                                                        "/t/i/admin/0123456789abcdef/ADMIN/settings.htm", 9, "cn"));
  CHECK(ui.handle(prefixed, {}).status == 200);
}

TEST_CASE("sim admin UI: the settings form answers 303 to a page that shows the change, a cookie comes and goes") {
  admin_ui ui("IP222", id);
  ui.set_password("ip222");
  browser b{ui, "admin", "ip222"};
  auto page = b.send("GET", "/ADMIN/settings.htm");
  REQUIRE(page.status == 200);
  auto set_cookie = field(page, "Set-Cookie");
  REQUIRE(set_cookie.rfind("ui-session=", 0) == 0);
  CHECK(set_cookie.find("Path=/") != std::string::npos);
  CHECK(page.body.find("action=\"/ADMIN/settings\"") != std::string::npos);
  auto cookie = set_cookie.substr(0, set_cookie.find(';'));

  auto saved = b.send("POST", "/ADMIN/settings", "location=Room+4.12%2C+desk&x=1",
                      {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", cookie}});
  CHECK(saved.status == 303);
  CHECK(field(saved, "Location") == "/ADMIN/settings.htm?saved=1");
  CHECK(field(saved, "Set-Cookie").empty()); // it came with the request
  CHECK(ui.location() == "Room 4.12, desk");
  auto shown = b.send("GET", "/ADMIN/settings.htm?saved=1", {}, {{"Cookie", cookie}});
  CHECK(shown.body.find("<span id=\"location\">Room 4.12, desk</span>") != std::string::npos);
  CHECK(shown.body.find("<p id=\"saved\">") != std::string::npos);
  CHECK(shown.body.find("<span id=\"cookie\">" + cookie.substr(11) + "</span>") != std::string::npos);

  CHECK(b.send("POST", "/ADMIN/settings", "location=" + std::string(65, 'x')).status == 400);
  CHECK(b.send("POST", "/ADMIN/settings", "other=1").status == 400);
  CHECK(b.send("DELETE", "/ADMIN/settings").status == 405);
  CHECK(b.send("GET", "/ADMIN/nothing").status == 404);
  CHECK(ui.location() == "Room 4.12, desk");
}

TEST_CASE("sim admin UI: stylesheet validators, the download whole and in a range, the upload") {
  admin_ui ui("IP222", id);
  ui.set_password("ip222");
  browser b{ui, "admin", "ip222"};
  auto css = b.send("GET", "/admin.css");
  CHECK(css.status == 200);
  auto etag = field(css, "ETag");
  CHECK(b.send("GET", "/admin.css", {}, {{"If-None-Match", etag}}).status == 304);
  CHECK(b.send("GET", "/admin.css", {}, {{"If-Modified-Since", field(css, "Last-Modified")}}).status == 304);
  CHECK(b.send("GET", "/admin.css", {}, {{"If-None-Match", "\"old\""}}).status == 200);

  auto file = b.send("GET", "/ADMIN/backup.cfg");
  CHECK(file.status == 200);
  CHECK(file.body.size() == admin_ui::backup_bytes);
  CHECK(field(file, "Content-Disposition") == "attachment; filename=\"IP222-009033020202-config.txt\"");
  auto part = b.send("GET", "/ADMIN/backup.cfg", {}, {{"Range", "bytes=10-19"}});
  CHECK(part.status == 206);
  CHECK(part.body == file.body.substr(10, 10));
  CHECK(field(part, "Content-Range") == "bytes 10-19/" + std::to_string(admin_ui::backup_bytes));
  CHECK(b.send("GET", "/ADMIN/backup.cfg", {}, {{"Range", "bytes=-5"}}).body == file.body.substr(file.body.size() - 5));
  CHECK(b.send("GET", "/ADMIN/backup.cfg", {}, {{"Range", "bytes=99999999-"}}).status == 416);
  auto head = b.send("HEAD", "/ADMIN/backup.cfg");
  CHECK(head.status == 200);
  CHECK(head.body.empty());

  auto up = b.send("POST", "/ADMIN/upload", std::string(200000, 'f'));
  CHECK(up.status == 303);
  CHECK(field(up, "Location") == "maintenance.htm?uploaded=200000"); // relative
  CHECK(ui.stats().upload_bytes == 200000);
}

TEST_CASE("sim admin UI: the phone's web server hands its paths over, the wire paths stay its own") {
  std::string err;
  auto cat = models::catalog::load(MPK_MODELS_DIR, err);
  REQUIRE(cat);
  auto p = phone_web::create(*cat, id, err);
  REQUIRE(p);
  CHECK(p->handle({"GET", "/ADMIN/settings.htm", ""}).status == 401);
  CHECK(p->handle({"POST", "/ADMIN/settings", "location=x"}).status == 401); // not 405: the admin UI takes POST
  p->admin().set_password("pw");
  CHECK(p->admin().password() == "pw");
  CHECK(p->handle({"GET", "/", ""}).body.find("innovaphone IP222") != std::string::npos);
  CHECK(p->handle({"POST", cat->lcd_path(p->ui().model()), ""}).status == 405);
}
