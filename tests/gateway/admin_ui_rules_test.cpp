// The admin-UI relay's rules, one by one: the phone's path under the relay prefix, the fields
// that go to the phone, the rewriting of what comes back, and that nothing of the passthrough
// (its key, its URL) is passed on.

#include "services/gateway/admin_ui/relay_rules.hpp"

#include <catch2/catch.hpp>

using namespace mpk;
using namespace mpk::gateway::admin_ui;

namespace {

const std::string key = "0e6ff4c7-7a88-40c4-98eb-8c91903933e6";
const std::string base = "http://127.0.0.1:8090/example.com/devices/passthrough/009033020202/" + key + "/";
const std::string prefix = "/tenant1.example.com/myphonekeys/admin/0123456789abcdef/";

relay_paths paths(std::string phone_target = "/ADMIN/settings.htm") {
  return relay_paths{prefix, std::move(phone_target), base, "10.0.0.5"};
}

std::string get(const net::header_fields& f, std::string_view name) {
  for (auto& [k, v] : f)
    if (k == name) return v;
  return "<absent>";
}

std::vector<std::string> all(const net::header_fields& f, std::string_view name) {
  std::vector<std::string> out;
  for (auto& [k, v] : f)
    if (k == name) out.push_back(v);
  return out;
}

} // namespace

TEST_CASE("admin-ui rules: the phone's path under the prefix, never above its root") {
  CHECK(phone_target_of(prefix + "ADMIN/settings.htm?saved=1", prefix) == "/ADMIN/settings.htm?saved=1");
  CHECK(phone_target_of(prefix, prefix) == "/");
  CHECK(phone_target_of(prefix + "a.b/c..d/%20x", prefix) == "/a.b/c..d/%20x");
  CHECK(phone_target_of(prefix + "x#frag", prefix) == "/x");
  CHECK(phone_target_of(prefix + "x?a=../b", prefix) == "/x?a=../b"); // dots in the query are data
  for (auto bad : {"../other/", "a/../../x", "%2e%2e/x", "%2E./x", "./x", "a%2fb", "a%5cb", "a%zz"})
    CHECK_FALSE(phone_target_of(prefix + bad, prefix));
  CHECK_FALSE(phone_target_of("/tenant1.example.com/myphonekeys/admin/fedcba9876543210/x", prefix));
}

TEST_CASE("admin-ui rules: request fields: end-to-end ones go, hop-by-hop, addresses and the relay cookie stay") {
  net::header_fields in = {{"Host", "gw:8080"},
                           {"Connection", "keep-alive, X-Hop"},
                           {"X-Hop", "1"},
                           {"Keep-Alive", "timeout=5"},
                           {"TE", "trailers"},
                           {"Upgrade", "h2c"},
                           {"Proxy-Authorization", "Basic eA=="},
                           {"Transfer-Encoding", "chunked"},
                           {"Content-Length", "12"},
                           {"Origin", "http://gw:8080"},
                           {"Referer", "http://gw:8080" + prefix},
                           {"Forwarded", "for=1.2.3.4"},
                           {"X-Forwarded-For", "1.2.3.4"},
                           {"Accept-Encoding", "gzip, br"},
                           {"Authorization", "Digest username=\"admin\""},
                           {"Content-Type", "application/x-www-form-urlencoded"},
                           {"If-None-Match", "\"v1\""},
                           {"If-Modified-Since", "Wed, 01 Jul 2026 08:00:00 GMT"},
                           {"Range", "bytes=0-99"},
                           {"Cache-Control", "no-cache"},
                           {"User-Agent", "Chromium"},
                           {"Cookie", "ui-session=abc; mpk_admin_ui=SECRET; lang=de"}};
  auto out = request_fields(in);
  for (auto gone : {"Host", "Connection", "X-Hop", "Keep-Alive", "TE", "Upgrade", "Proxy-Authorization",
                    "Transfer-Encoding", "Content-Length", "Origin", "Referer", "Forwarded", "X-Forwarded-For"})
    CHECK(get(out, gone) == "<absent>");
  for (auto kept :
       {"Authorization", "Content-Type", "If-None-Match", "If-Modified-Since", "Range", "Cache-Control", "User-Agent"})
    CHECK(get(out, kept) != "<absent>");
  CHECK(get(out, "Cookie") == "ui-session=abc; lang=de");
  CHECK(get(out, "Accept-Encoding") == "identity"); // plain bytes: secrets can be masked
  CHECK(get(request_fields({{"Cookie", "mpk_admin_ui=SECRET"}}), "Cookie") == "<absent>");
  CHECK(cookie_value(in, cookie_name) == "SECRET");
  CHECK(cookie_value({{"Cookie", "a=1"}, {"cookie", "mpk_admin_ui=S2"}}, cookie_name) == "S2");
  CHECK(cookie_value({{"Cookie", "xmpk_admin_ui=S3"}}, cookie_name).empty());
}

TEST_CASE("admin-ui rules: Location and other URLs of the phone land inside the prefix") {
  auto p = paths("/ADMIN/upload");
  CHECK(rewrite_url("/ADMIN/settings.htm?saved=1", p) == prefix + "ADMIN/settings.htm?saved=1");
  CHECK(rewrite_url("maintenance.htm?uploaded=5", p) == prefix + "ADMIN/maintenance.htm?uploaded=5");
  CHECK(rewrite_url("../x", p) == prefix + "x");
  CHECK(rewrite_url("../../../../x", p) == prefix + "x"); // never above the phone's root
  CHECK(rewrite_url("./", p) == prefix + "ADMIN/");
  CHECK(rewrite_url("?saved=1", paths()) == prefix + "ADMIN/settings.htm?saved=1");
  CHECK(rewrite_url(base + "ADMIN/x", p) == prefix + "ADMIN/x"); // the passthrough's own URL
  CHECK(rewrite_url("/example.com/devices/passthrough/009033020202/" + key + "/y", p) == prefix + "y");
  CHECK(rewrite_url("http://10.0.0.5/ADMIN/x?a=1", p) == prefix + "ADMIN/x?a=1"); // the phone's own address
  CHECK(rewrite_url("https://10.0.0.5:443/", p) == prefix);
  CHECK(rewrite_url("//10.0.0.5/z", p) == prefix + "z");
  CHECK(rewrite_url("http://127.0.0.1:8090/example.com/devices/other", p) == prefix + "example.com/devices/other");
  CHECK(rewrite_url("https://wiki.innovaphone.com/index.php?title=x", p) ==
        "https://wiki.innovaphone.com/index.php?title=x"); // another site stays
}

TEST_CASE("admin-ui rules: Set-Cookie of the phone: Path into the prefix, no Domain, never the relay's cookie") {
  auto p = paths("/ADMIN/settings");
  CHECK(rewrite_set_cookie("ui-session=1; Path=/; HttpOnly", p) == "ui-session=1; Path=" + prefix + "; HttpOnly");
  CHECK(rewrite_set_cookie("a=b; Domain=10.0.0.5; path=/ADMIN; Max-Age=60", p) ==
        "a=b; Path=" + prefix + "ADMIN; Max-Age=60");
  CHECK(rewrite_set_cookie("a=b", p) == "a=b; Path=" + prefix + "ADMIN"); // RFC 6265 default path
  CHECK(rewrite_set_cookie("a=b", paths("/x")) == "a=b; Path=" + prefix);
  CHECK_FALSE(rewrite_set_cookie("mpk_admin_ui=forged; Path=/", p));
}

TEST_CASE("admin-ui rules: the phone's answer fields: rewritten, passed, or dropped") {
  net::header_fields f = {{"Location", "/ADMIN/settings.htm?saved=1"},
                          {"Set-Cookie", "ui-session=1; Path=/"},
                          {"Set-Cookie", "lang=en; Path=/ADMIN"},
                          {"Set-Cookie", "mpk_admin_ui=x"},
                          {"Refresh", "5; url=/next"},
                          {"Content-Location", base + "doc"},
                          {"WWW-Authenticate", "Digest realm=\"IP222-020202\", nonce=\"n\", qop=\"auth\""},
                          {"Content-Type", "text/html"},
                          {"Content-Disposition", "attachment; filename=\"IP222-009033020202-config.txt\""},
                          {"Cache-Control", "no-store"},
                          {"ETag", "\"cfg-1\""},
                          {"Last-Modified", "Wed, 01 Jul 2026 08:00:00 GMT"},
                          {"Content-Range", "bytes 0-9/100"},
                          {"Strict-Transport-Security", "max-age=31536000"},
                          {"Clear-Site-Data", "\"*\""},
                          {"Alt-Svc", "h3=\":443\""},
                          {"Referrer-Policy", "no-referrer"},
                          {"Link", "<" + base + "style.css>; rel=preload"},
                          {"X-Debug", "passthrough key " + key}};
  response_fields(f, paths());
  INFO([&] {
    std::string s;
    for (auto& [k, v] : f) s += k + ": " + v + "\n";
    return s;
  }());
  CHECK(get(f, "Location") == prefix + "ADMIN/settings.htm?saved=1");
  CHECK(all(f, "Set-Cookie") ==
        std::vector<std::string>{"ui-session=1; Path=" + prefix, "lang=en; Path=" + prefix + "ADMIN"});
  CHECK(get(f, "Refresh") == "5; url=" + prefix + "next");
  CHECK(get(f, "Content-Location") == prefix + "doc");
  for (auto same : {"WWW-Authenticate", "Content-Type", "Content-Disposition", "Cache-Control", "ETag", "Last-Modified",
                    "Content-Range"})
    CHECK(get(f, same) != "<absent>");
  CHECK(get(f, "Content-Disposition") == "attachment; filename=\"IP222-009033020202-config.txt\"");
  for (auto gone : {"Strict-Transport-Security", "Clear-Site-Data", "Alt-Svc", "Link", "X-Debug"})
    CHECK(get(f, gone) == "<absent>");
  CHECK(all(f, "Referrer-Policy") == std::vector<std::string>{"same-origin"});
  for (auto& [k, v] : f) {
    CHECK(v.find(key) == std::string::npos);
    CHECK(v.find("passthrough") == std::string::npos);
  }
}

TEST_CASE("admin-ui rules: the secrets of a passthrough, audit lines, stray links, the session cookie") {
  CHECK(secrets_of(base) == std::vector<std::string>{key, "http://127.0.0.1:8090/example.com/devices/passthrough/",
                                                     "/example.com/devices/passthrough/"});
  CHECK(audit_what("POST", "/ADMIN/settings") == "POST /ADMIN/settings");
  CHECK(audit_what("POST", "/CMD0/mod_cmd.xml?cmd=set&admin-pwd=s3cret&x=1") ==
        "POST /CMD0/mod_cmd.xml?cmd=set&admin-pwd=***&x=1");
  CHECK(audit_what("PUT", "/" + std::string(1000, 'a')).size() == 300);
  CHECK(audited("POST", "/ADMIN/settings"));
  CHECK(audited("DELETE", "/x"));
  CHECK_FALSE(audited("GET", "/ADMIN/settings.htm?saved=1"));
  CHECK_FALSE(audited("GET", "/CMD0/mod_cmd.xml?cmd=show"));
  for (auto line : {"/!config%20write", "/%21mod%20cmd%20CPU%20mips-usage", "/%21mem"}) CHECK(audited("GET", line));

  CHECK(referring_relay("http://gw:8080" + prefix + "ADMIN/settings.htm", "gw:8080") == prefix);
  CHECK_FALSE(referring_relay("http://other:8080" + prefix, "gw:8080")); // another site's page
  CHECK_FALSE(referring_relay("http://gw:8080/tenant1.example.com/myphonekeys/innovaphone-myphonekeys.htm", "gw:8080"));
  CHECK_FALSE(referring_relay("http://gw:8080/t/m/admin/open/abc", "gw:8080"));
  CHECK_FALSE(referring_relay("", "gw:8080"));

  CHECK(session_cookie("S", prefix, false) == "mpk_admin_ui=S; Path=" + prefix + "; HttpOnly; SameSite=Strict");
  CHECK(session_cookie("S", prefix, true) == "mpk_admin_ui=S; Path=" + prefix + "; HttpOnly; SameSite=Strict; Secure");
}
