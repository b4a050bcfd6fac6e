#include "services/gateway/login_form.hpp"

#include <algorithm>
#include <cctype>

namespace mpk::gateway {

namespace {

bool is_hex(std::string_view s, std::size_t size) {
  return s.size() == size &&
         std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

bool all_zero(std::string_view s) { return !s.empty() && s.find_first_not_of('0') == std::string_view::npos; }

/// Copies the string member `key`; a member of another type is an error (nullopt), absence is "".
std::optional<std::string> string_member(const json::envelope& env, const char* key) {
  if (!env.has(key)) return std::string();
  auto s = env.string(key);
  if (!s) return std::nullopt;
  return std::string(*s);
}

/// Reads what the gateway uses of `info` (the object itself stays raw text for the digest).
void read_info(simdjson::dom::object info, applogin_fields& f) {
  std::string_view s;
  bool b = false;
  std::int64_t n = 0;
  if (!info["appobj"].get(s)) f.appobj = std::string(s), f.has_appobj = true;
  if (!info["appurl"].get(s)) f.appurl = std::string(s), f.has_appurl = true;
  if (!info["pbx"].get(s)) f.pbx = std::string(s);
  if (!info["unlicensed"].get(b)) f.unlicensed = b;
  if (!info["testmode"].get(b)) f.test_mode = b;
  if (!info["lics"].get(n)) f.lics = n;
}

} // namespace

const char* describe(login_form f) {
  switch (f) {
    case login_form::pbx_link: return "PBX link";
    case login_form::pbx_user: return "myApps user login";
    case login_form::password: return "password login";
  }
  return "login";
}

classified_login classify_login(const json::envelope& env) {
  classified_login c;
  auto& f = c.fields;
  auto fail = [&](std::string why) {
    c.error = std::move(why);
    return c;
  };
  struct member {
    const char* key;
    std::string* out;
  };
  for (auto [key, out] :
       {member{"app", &f.app}, member{"domain", &f.domain}, member{"sip", &f.sip}, member{"guid", &f.guid},
        member{"dn", &f.dn}, member{"pbxObj", &f.pbx_obj}, member{"digest", &f.digest}}) {
    auto v = string_member(env, key);
    if (!v) return fail(std::string("AppLogin member '") + key + "' must be a string");
    *out = std::move(*v);
  }
  if (f.digest.empty()) return fail("AppLogin without a digest");
  if (!is_hex(f.digest, 64)) return fail("the digest must be 64 hex digits (SHA-256)");
  if (!is_hex(f.guid, 32)) return fail("the guid must be 32 hex digits");
  if (env.has("info")) {
    simdjson::dom::object info;
    if (env.root()["info"].get(info)) return fail("info must be a JSON object");
    f.info = std::string(env.raw("info").value_or("{}"));
    read_info(info, f);
  }

  if (f.info) {
    if (!f.pbx_obj.empty()) {
      c.form = login_form::pbx_user;
      return c;
    }
    // Without pbxObj only a PBX logs in with info, and then as its App object (docs/spec/appwebsocket.md §3, B1/B2).
    if (!f.has_appobj || f.appobj != f.sip)
      return fail(
        "an AppLogin with info but without pbxObj is a PBX link, whose sip must be the App object named "
        "in info.appobj");
    c.form = login_form::pbx_link;
    return c;
  }
  if (f.app.empty() || f.app != f.sip || !all_zero(f.guid))
    return fail("an AppLogin without info is a password login: app and sip the same name, guid 32 zeros");
  if (!f.pbx_obj.empty() && f.pbx_obj != f.app)
    return fail("a password login's pbxObj, when sent, is its own name (app)");
  c.form = login_form::password;
  return c;
}

} // namespace mpk::gateway
