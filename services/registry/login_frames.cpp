#include "services/registry/login_frames.hpp"

#include "common/crypto/info_json.hpp"
#include "common/json/envelope.hpp"
#include "common/json/writer.hpp"

namespace mpk::registry {

std::string app_challenge_frame(std::string_view src) {
  json::json_writer w;
  w.begin_object().member("mt", "AppChallenge").member("src", src).end_object();
  return w.take();
}

std::optional<std::string> app_login_frame(const service_login& l, std::string_view src) {
  json::json_writer w;
  w.begin_object()
    .member("mt", "AppLogin")
    .member("app", l.app)
    .member("domain", l.domain)
    .member("sip", l.sip)
    .member("guid", l.guid)
    .member("dn", l.dn);
  if (!l.pbx_obj.empty()) w.member("pbxObj", l.pbx_obj);
  if (!l.info.empty()) {
    // Raw, not re-escaped: the digest was computed over exactly this text. It must still be
    // one JSON object, or the frame itself would be broken.
    auto canonical = crypto::canonical_json(l.info);
    if (!canonical || canonical->empty() || canonical->front() != '{') return std::nullopt;
    w.key("info").raw(l.info);
  }
  w.member("digest", l.digest).member("src", src).end_object();
  return w.take();
}

login_reply read_login_reply(std::string_view frame) {
  login_reply out;
  json::envelope_parser parser(64 * 1024);
  json::envelope_errc err{};
  const auto* env = parser.parse(frame, err);
  if (!env) {
    out.text = std::string(json::describe(err));
    return out;
  }
  if (env->mt() == "AppChallengeResult") {
    auto c = env->string("challenge");
    if (c && !c->empty()) {
      out.what = login_reply::challenge;
      out.text = std::string(*c);
    } else {
      out.text = "AppChallengeResult without a challenge";
    }
    return out;
  }
  if (env->mt() == "AppLoginResult") {
    if (env->boolean("ok").value_or(false)) {
      out.what = login_reply::login_ok;
      return out;
    }
    out.what = login_reply::login_failed;
    std::string e(env->string("errorText").value_or(env->string("error").value_or("")));
    out.text = e.empty() ? "login refused by the Devices instance" : "login refused: " + e;
    return out;
  }
  out.text = "unexpected " + std::string(env->mt());
  return out;
}

} // namespace mpk::registry
