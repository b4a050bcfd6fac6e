// The simulated phone's admin web interface: pages, Digest login, form, download, upload.

#include "sim/phone/admin_ui.hpp"

#include "common/crypto/random.hpp"
#include "common/http/url.hpp"
#include "common/models/catalog.hpp"
#include "common/models/registrations.hpp"
#include "common/models/xml_attr.hpp"
#include "sim/phone/phone_web.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace mpk::sim_phone {

namespace {

const char* const css_etag = "\"css-1\"";
const char* const css_modified = "Wed, 01 Jul 2026 08:00:00 GMT";

std::string html_text(std::string_view s) { return models::xml_escape(s); }

bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

std::string request_field(const web_request& req, std::string_view name) {
  for (auto& [k, v] : req.headers)
    if (same_name(k, name)) return v;
  return {};
}

std::string request_cookie(const web_request& req, std::string_view name) {
  auto all = request_field(req, "Cookie");
  std::string_view rest = all;
  while (!rest.empty()) {
    auto semi = rest.find(';');
    auto pair = rest.substr(0, semi);
    rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
  }
  return {};
}

web_response page_answer(int status, std::string title, const std::string& body) {
  return {status,
          "text/html; charset=utf-8",
          "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + html_text(title) +
            "</title><link rel=\"stylesheet\" href=\"/admin.css\"></head>\n<body>\n" + body + "</body></html>\n",
          {}};
}

web_response text_answer(int status, std::string text) {
  return {status, "text/plain; charset=utf-8", text + "\n", {}};
}

std::string target_query(const std::string& target, std::string_view key) {
  auto parts = http::split_target(target);
  if (!parts) return {};
  auto v = http::query_value(*parts, key);
  return v ? std::string(*v) : std::string{};
}

/// The value of `key` in an application/x-www-form-urlencoded body.
std::optional<std::string> form_field(std::string_view body, std::string_view key) {
  while (!body.empty()) {
    auto amp = body.find('&');
    auto pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
    auto eq = pair.find('=');
    if (pair.substr(0, eq) != key) continue;
    return http::url_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), true);
  }
  return std::nullopt;
}

/// The configuration file offered for download: a header, then numbered lines up to `size`.
std::string backup_file(const std::string& product, const phone_identity& id, const std::string& location,
                        std::size_t size) {
  std::string out = "# innovaphone " + product + " configuration backup (simulated)\n# MAC " + id.hw_id +
                    "\nconfig change GENERAL /name " + id.name + " /location " + location + "\n";
  out.reserve(size + 64);
  for (std::size_t i = 0; out.size() < size; ++i)
    out += "config add TRACE /line " + std::to_string(i) + " /text \"trace line of the simulated phone\"\n";
  out.resize(size);
  return out;
}

} // namespace

namespace {

std::string realm_of(const std::string& product, const std::string& hw_id) {
  return product + "-" + (hw_id.size() >= 6 ? hw_id.substr(hw_id.size() - 6) : hw_id);
}

/// The digest is checked over the uri the client names: whether a real phone also compares it with
/// its request target is not known (docs/app-protocol.md §7), and a relay under a path prefix needs
/// it not to.
crypto::http_digest::server login_of(const std::string& realm, const std::string& password) {
  return crypto::http_digest::server(realm, "admin", password, std::chrono::seconds(300),
                                     crypto::http_digest::server::uri_rule::as_named);
}

} // namespace

admin_ui::admin_ui(std::string product, phone_identity id)
    : product_(std::move(product)),
      id_(std::move(id)),
      realm_(realm_of(product_, id_.hw_id)),
      auth_(login_of(realm_, password_)) {}

void admin_ui::set_password(std::string password) {
  password_ = std::move(password);
  auth_ = login_of(realm_, password_); // nonces handed out before turn stale: browsers ask again
}

bool admin_ui::serves(std::string_view path) {
  return path == "/" || path == "/admin.xml" || path == "/admin.css" || path.substr(0, 7) == "/ADMIN/";
}

web_response admin_ui::handle(const web_request& req, const std::vector<models::registration>& regs) {
  const std::string path = req.target.substr(0, req.target.find('?'));
  const bool head = req.method == "HEAD";
  const bool read = req.method == "GET" || head;
  web_response res;
  res.status = 0; // none of the pages below
  if (path == "/" || path == "/admin.xml" || path == "/admin.css") {
    if (!read)
      res = text_answer(405, "method not allowed");
    else
      res = path == "/admin.css" ? stylesheet(req) : info_page(regs);
  } else if (auto v = check_login(req); v != crypto::http_digest::server::verdict::ok) {
    res = challenge(v == crypto::http_digest::server::verdict::stale_nonce);
  } else {
    ++stats_.logins;
    if (path == "/ADMIN/settings.htm" && read)
      res = settings_page(req);
    else if (path == "/ADMIN/settings" && req.method == "POST")
      res = save_settings(req);
    else if (path == "/ADMIN/maintenance.htm" && read)
      res = maintenance_page(req);
    else if (path == "/ADMIN/backup.cfg" && read)
      res = backup(req);
    else if (path == "/ADMIN/upload" && req.method == "POST")
      res = upload(req);
    else if (path == "/ADMIN/settings.htm" || path == "/ADMIN/settings" || path == "/ADMIN/maintenance.htm" ||
             path == "/ADMIN/backup.cfg" || path == "/ADMIN/upload")
      res = text_answer(405, "method not allowed");
    // Logged in: the interface keeps a session cookie of its own (the relay must bring it back).
    if (request_cookie(req, "ui-session").empty())
      res.headers.emplace_back("Set-Cookie", "ui-session=" + crypto::random_hex(8) + "; Path=/; HttpOnly");
  }
  if (res.status == 0) res = text_answer(404, "not found");
  if (head) res.body.clear();
  return res;
}

crypto::http_digest::server::verdict admin_ui::check_login(const web_request& req) const {
  if (password_.empty()) return crypto::http_digest::server::verdict::wrong_response; // no password yet: no login
  return auth_.check(req.method, req.target, request_field(req, "Authorization"));
}

web_response admin_ui::challenge(bool stale) {
  ++stats_.challenges;
  auto res =
    page_answer(401, "Login", "<h1>Login required</h1>\n<p>This page of the phone needs the admin password.</p>\n");
  res.headers.emplace_back("WWW-Authenticate", auth_.challenge_header(stale));
  return res;
}

web_response admin_ui::info_page(const std::vector<models::registration>& regs) const {
  std::string b = "<h1>innovaphone " + html_text(product_) + "</h1>\n<nav>";
  // One link with an absolute path, one relative: both must work behind a relay.
  b += "<a id=\"settings-link\" href=\"/ADMIN/settings.htm\">Settings</a> | ";
  b += "<a id=\"maintenance-link\" href=\"ADMIN/maintenance.htm\">Maintenance</a></nav>\n<table>\n";
  const std::pair<const char*, std::string> rows[] = {
    {"Name", id_.name}, {"Number", id_.number}, {"Firmware", id_.version},
    {"MAC", id_.hw_id}, {"IP", id_.ip},         {"Location", location_}};
  for (const auto& [k, v] : rows) b += "<tr><th>" + std::string(k) + "</th><td>" + html_text(v) + "</td></tr>\n";
  b += "</table>\n<h2>Registrations</h2>\n<ul>\n";
  for (const auto& r : regs)
    b +=
      "<li>User-" + std::to_string(r.id + 1) + ": " + std::string(models::to_string(models::classify(r))) + "</li>\n";
  b += "</ul>\n";
  return page_answer(200, product_ + " " + id_.name, b);
}

web_response admin_ui::settings_page(const web_request& req) const {
  std::string b = "<h1>Settings</h1>\n<p><a id=\"home-link\" href=\"/\">Info</a></p>\n";
  if (target_query(req.target, "saved") == "1") b += "<p id=\"saved\">Saved.</p>\n";
  b += "<p>Location: <span id=\"location\">" + html_text(location_) + "</span></p>\n";
  b += "<p>Session cookie: <span id=\"cookie\">" + html_text(request_cookie(req, "ui-session")) + "</span></p>\n";
  b +=
    "<form method=\"post\" action=\"/ADMIN/settings\"><label>Location <input id=\"location-input\" "
    "name=\"location\" maxlength=\"64\" value=\"" +
    html_text(location_) + "\"></label> <button id=\"save\" type=\"submit\">Save</button></form>\n";
  return page_answer(200, "Settings", b);
}

web_response admin_ui::save_settings(const web_request& req) {
  auto v = form_field(req.body, "location");
  if (!v || v->size() > max_location || !models::valid_utf8(*v) ||
      std::any_of(v->begin(), v->end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; }))
    return text_answer(400, "location: at most 64 printable characters");
  location_ = *v;
  ++stats_.settings_saved;
  // Post/redirect/get, with an absolute path as the phone's own Location.
  web_response res{303, "text/plain; charset=utf-8", "saved\n", {}};
  res.headers.emplace_back("Location", "/ADMIN/settings.htm?saved=1");
  return res;
}

web_response admin_ui::maintenance_page(const web_request& req) const {
  std::string b = "<h1>Maintenance</h1>\n<p><a id=\"home-link\" href=\"/\">Info</a></p>\n";
  b += "<p><a id=\"backup-link\" href=\"/ADMIN/backup.cfg\">Download the configuration</a> (" +
       std::to_string(backup_bytes) + " bytes)</p>\n";
  auto uploaded = target_query(req.target, "uploaded");
  b += "<p>Last upload: <span id=\"uploaded\">" +
       html_text(uploaded.empty() ? std::to_string(upload_last_) : uploaded) + "</span> bytes</p>\n";
  b +=
    "<form method=\"post\" action=\"upload\" enctype=\"multipart/form-data\"><input id=\"upload-file\" type=\"file\" "
    "name=\"file\"> <button id=\"upload\" type=\"submit\">Upload</button></form>\n";
  return page_answer(200, "Maintenance", b);
}

web_response admin_ui::backup(const web_request& req) {
  ++stats_.downloads;
  auto file = backup_file(product_, id_, location_, backup_bytes);
  web_response res{200, "application/octet-stream", {}, {}};
  res.headers.emplace_back("Content-Disposition",
                           "attachment; filename=\"" + product_ + "-" + id_.hw_id + "-config.txt\"");
  res.headers.emplace_back("ETag", "\"cfg-" + std::to_string(stats_.settings_saved) + "\"");
  res.headers.emplace_back("Accept-Ranges", "bytes");
  res.headers.emplace_back("Cache-Control", "no-store");
  auto range = request_field(req, "Range");
  if (range.rfind("bytes=", 0) == 0 && range.find(',') == std::string::npos) {
    // One range: "a-b", "a-" or "-n".
    auto spec = range.substr(6);
    auto dash = spec.find('-');
    std::size_t total = file.size(), first = 0, last = total - 1;
    bool ok = dash != std::string::npos;
    if (ok && dash == 0) {
      auto n = std::strtoull(spec.c_str() + 1, nullptr, 10);
      ok = n > 0;
      first = n >= total ? 0 : total - n;
    } else if (ok) {
      first = std::strtoull(spec.c_str(), nullptr, 10);
      if (dash + 1 < spec.size())
        last = std::min<std::size_t>(total - 1, std::strtoull(spec.c_str() + dash + 1, nullptr, 10));
      ok = first <= last && first < total;
    }
    if (!ok) {
      web_response bad{416, "text/plain; charset=utf-8", "bad range\n", {}};
      bad.headers.emplace_back("Content-Range", "bytes */" + std::to_string(total));
      return bad;
    }
    res.status = 206;
    res.headers.emplace_back(
      "Content-Range", "bytes " + std::to_string(first) + "-" + std::to_string(last) + "/" + std::to_string(total));
    res.body = file.substr(first, last - first + 1);
    return res;
  }
  res.body = std::move(file);
  return res;
}

web_response admin_ui::upload(const web_request& req) {
  ++stats_.uploads;
  stats_.upload_bytes += req.body.size();
  upload_last_ = req.body.size();
  // A relative Location: resolved against /ADMIN/upload by whoever follows it.
  web_response res{303, "text/plain; charset=utf-8", "uploaded\n", {}};
  res.headers.emplace_back("Location", "maintenance.htm?uploaded=" + std::to_string(req.body.size()));
  return res;
}

web_response admin_ui::stylesheet(const web_request& req) const {
  // Validators: a browser revalidates and gets 304 through the relay.
  auto match = request_field(req, "If-None-Match");
  if (match == css_etag || (match.empty() && request_field(req, "If-Modified-Since") == css_modified)) {
    web_response r{304, "", "", {}};
    r.headers.emplace_back("ETag", css_etag);
    return r;
  }
  web_response r{200,
                 "text/css; charset=utf-8",
                 "body{font-family:sans-serif;margin:1em 2em}table{border-collapse:collapse}"
                 "th,td{border:1px solid #ccc;padding:2px 8px;text-align:left}nav{margin:.5em 0}\n",
                 {}};
  r.headers.emplace_back("ETag", css_etag);
  r.headers.emplace_back("Last-Modified", css_modified);
  r.headers.emplace_back("Cache-Control", "no-cache");
  return r;
}

} // namespace mpk::sim_phone
