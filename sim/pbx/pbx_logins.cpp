#include "sim/pbx/pbx_logins.hpp"

#include "common/crypto/login_digest.hpp"
#include "common/crypto/session_key.hpp"

namespace mpk::sim {

namespace {

/// The members every PBX-issued info starts with, in the PBX's order.
void begin_info(json::json_writer& w, const pbx_config& cfg, std::string_view cn) {
  w.begin_object()
    .member("appobj", cfg.app_object)
    .member("appdn", cfg.app_dn)
    .member("appurl", cfg.app_url)
    .member("pbx", cfg.pbx_name)
    .member("cn", cn);
}

const granted_service* find_service(const pbx_config& cfg, std::string_view name) {
  for (const auto& s : cfg.services)
    if (!name.empty() && s.name == name) return &s;
  return nullptr;
}

} // namespace

bool acceptable_challenge(std::string_view challenge) {
  if (challenge.empty() || challenge.size() > 64) return false;
  for (char c : challenge)
    if (static_cast<unsigned char>(c) < 0x21 || static_cast<unsigned char>(c) > 0x7e) return false;
  return true;
}

std::string link_info(const pbx_config& cfg) {
  json::json_writer w;
  begin_info(w, cfg, cfg.app_object);
  if (cfg.app_unlicensed) w.member("unlicensed", true);
  if (cfg.test_mode) w.member("testmode", true);
  if (cfg.app_lics) w.member("lics", *cfg.app_lics);
  w.key("apps").begin_array();
  for (const auto& s : cfg.services) w.begin_object().member("name", s.name).member("dn", s.title).end_object();
  w.end_array().end_object();
  return w.take();
}

std::string link_app_login(const pbx_config& cfg, std::string_view challenge) {
  crypto::login_fields f{app_html_name(cfg), cfg.system_name, cfg.app_object, cfg.app_guid, cfg.app_dn, link_info(cfg)};
  auto digest = crypto::login_digest(f, challenge, cfg.app_password);
  json::json_writer w;
  // Same member order as the real PBX; deliberately no pbxObj (that marks user logins).
  w.begin_object()
    .member("mt", "AppLogin")
    .member("app", f.app)
    .member("domain", f.domain)
    .member("sip", f.sip)
    .member("guid", f.guid)
    .member("dn", f.dn)
    .member("digest", digest);
  w.key("info").raw(*f.info);
  w.end_object();
  return w.take();
}

std::string user_info(const pbx_config& cfg, const pbx_user& user) {
  json::json_writer w;
  begin_info(w, cfg, user.sip);
  if (!user.licensed) w.member("unlicensed", true);
  if (cfg.test_mode) w.member("testmode", true);
  w.key("groups").begin_array().end_array();
  w.key("apps").begin_array().end_array();
  w.end_object();
  return w.take();
}

issued_login app_get_login_result(const pbx_config& cfg, std::string_view user_sip, std::string_view app,
                                  std::string_view challenge, std::string_view salt) {
  auto fail = [](std::string code, std::string_view text) {
    json::json_writer w;
    w.begin_object().member("mt", "AppGetLoginResult").member("error", code).member("errorText", text).end_object();
    return issued_login{w.take(), std::move(code)};
  };
  const pbx_user* user = find_user(cfg, user_sip);
  if (!user) return fail("unknown user", "the user is not configured on this PBX");
  const std::string html = app_html_name(cfg);
  // The frame asks with start.name (the App object name); tolerate the HTML name as well.
  if (app != cfg.app_object && app != html) return fail("unknown app", "no App object of that name on this PBX");
  if (!acceptable_challenge(challenge))
    return fail("bad challenge", "the challenge is empty, too long or not printable");

  crypto::login_fields f{html, cfg.system_name, user->sip, user->guid, user->dn, user_info(cfg, *user)};
  json::json_writer w;
  w.begin_object()
    .member("mt", "AppGetLoginResult")
    .member("domain", f.domain)
    .member("sip", f.sip)
    .member("guid", f.guid)
    .member("dn", f.dn)
    .member("pbxObj", cfg.app_object)
    .member("app", f.app);
  w.key("info").raw(*f.info);
  w.member("digest", crypto::login_digest(f, challenge, cfg.app_password))
    .member("salt", salt)
    .member("key", crypto::session_key(challenge, cfg.app_password))
    .end_object();
  return issued_login{w.take(), {}};
}

std::optional<service_login_error> write_service_login(json::json_writer& w, const pbx_config& cfg,
                                                       std::string_view service_name, std::string_view challenge,
                                                       std::string_view link_session_key, std::string_view salt) {
  const granted_service* svc = find_service(cfg, service_name);
  if (!svc) return service_login_error{"unknown service", "no service of that name is granted to this App object"};
  if (!acceptable_challenge(challenge))
    return service_login_error{"bad challenge", "the challenge is empty, too long or not printable"};

  json::json_writer info;
  begin_info(info, cfg, cfg.app_object);
  info.key("apps").begin_array().end_array().end_object();
  crypto::login_fields f{svc->name, cfg.system_name, cfg.app_object, cfg.app_guid, cfg.app_dn, info.take()};
  // The target's session key travels wrapped with the key of the link that asked
  // (docs/spec/appwebsocket.md §4 step 6).
  auto inner = crypto::session_key(challenge, svc->password);
  w.member("domain", f.domain)
    .member("sip", f.sip)
    .member("guid", f.guid)
    .member("dn", f.dn)
    .member("pbxObj", cfg.app_object)
    .member("app", f.app);
  w.key("info").raw(*f.info);
  w.member("digest", crypto::login_digest(f, challenge, svc->password))
    .member("salt", salt)
    .member("key", crypto::encrypt(salt, inner, link_session_key));
  return std::nullopt;
}

} // namespace mpk::sim
