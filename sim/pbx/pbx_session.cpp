#include "sim/pbx/pbx_session.hpp"

#include "common/crypto/random.hpp"
#include "common/crypto/session_key.hpp"
#include "sim/pbx/pbx_logins.hpp"

namespace mpk::sim {

namespace {

constexpr std::string_view pbx_version = "13r3 sr1 [13.5710/131286/1300]";
constexpr std::string_view pbx_build = "131286";

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

std::string result_mt(std::string_view mt) { return std::string(mt) + "Result"; }

} // namespace

pbx_session::pbx_session(const pbx_config& cfg) : cfg_(cfg) {}

pbx_session::output pbx_session::on_frame(std::string_view text) {
  output out;
  json::envelope_errc err{};
  const json::envelope* msg = parser_.parse(text, err);
  if (!msg) {
    // A real PBX would drop such a peer; answering keeps the product's logs readable.
    out.frames.push_back(json::error_reply(nullptr, "Error", "bad frame", json::describe(err)));
    return out;
  }
  const auto mt = msg->mt();
  const auto api = msg->api();

  if (api.empty() && mt == "AppChallengeResult") {
    auto challenge = msg->string("challenge");
    if (!challenge || !acceptable_challenge(*challenge)) {
      out.close = true;
      out.close_reason = "login refused (bad challenge from the App service)";
      out.ev = output::event::login_refused;
      return out;
    }
    challenged_ = true;
    logged_in_ = false;
    link_session_key_ = crypto::session_key(*challenge, cfg_.app_password);
    out.frames.push_back(link_app_login(cfg_, *challenge));
    return out;
  }
  if (api.empty() && mt == "AppLoginResult") {
    if (!challenged_ || msg->boolean("ok") != true) {
      std::string why(msg->string("errorText").value_or(msg->string("error").value_or("")));
      out.close = true;
      out.close_reason = why.empty() ? "login refused" : "login refused: " + why;
      out.ev = output::event::login_refused;
      return out;
    }
    logged_in_ = true;
    out.ev = output::event::logged_in;
    json::json_writer w;
    w.begin_object()
      .member("mt", "PbxInfo")
      .member("domain", cfg_.system_name)
      .member("pbx", cfg_.pbx_name)
      .member("pbxDns", cfg_.pbx_name + "." + cfg_.system_name);
    w.key("apis").begin_array().value("Services").value("PbxApi").end_array();
    w.member("version", pbx_version).member("build", pbx_build).end_object();
    out.frames.push_back(w.take());
    w.begin_object().member("mt", "AppInfo").member("app", app_html_name(cfg_)).end_object();
    out.frames.push_back(w.take());
    return out;
  }
  if (api.empty() && mt == "KeepAlive") {
    out.frames.emplace_back(R"({"mt":"KeepAlive"})");
    return out;
  }
  // Results answer something we sent (AppInfoResult, ...): replying to them could loop.
  if (ends_with(mt, "Result")) return out;
  if (!logged_in_) {
    out.frames.push_back(json::error_reply(msg, result_mt(mt), "not logged in", "the PBX link is not logged in yet"));
    return out;
  }
  if (api == "Services") {
    on_services(*msg, out);
    return out;
  }
  out.frames.push_back(json::error_reply(
    msg, result_mt(mt), "unknown message",
    api.empty() ? "the PBX does not know this message" : "this api or message is not available on the PBX link"));
  return out;
}

void pbx_session::on_services(const json::envelope& req, output& out) {
  const auto mt = req.mt();
  json::json_writer w;
  if (mt == "SubscribeServices") {
    subscribed_ = true;
    json::begin_reply(w, req, "SubscribeServicesResult");
    out.frames.push_back(w.end_object().take());
    // The subscription's notifications carry the request's src too (docs/spec/appwebsocket.md §1).
    json::begin_reply(w, req, "ServicesInfo");
    w.key("services").begin_array();
    for (const auto& s : cfg_.services) {
      w.begin_object().member("name", s.name).member("title", s.title).member("url", s.url);
      w.key("info").begin_object().key("com.innovaphone.devices").begin_object().end_object().end_object();
      w.end_object();
    }
    w.end_array().end_object();
    out.frames.push_back(w.take());
    return;
  }
  if (mt == "UnsubscribeServices") {
    subscribed_ = false;
    json::begin_reply(w, req, "UnsubscribeServicesResult");
    out.frames.push_back(w.end_object().take());
    return;
  }
  if (mt == "GetServiceLogin") {
    auto app = req.string("app").value_or("");
    auto challenge = req.string("challenge").value_or("");
    json::begin_reply(w, req, "GetServiceLoginResult");
    auto error = write_service_login(w, cfg_, app, challenge, link_session_key_, crypto::random_hex(8));
    if (error) {
      out.frames.push_back(json::error_reply(&req, "GetServiceLoginResult", error->error, error->error_text));
      return;
    }
    out.frames.push_back(w.end_object().take());
    out.ev = output::event::service_login;
    return;
  }
  out.frames.push_back(
    json::error_reply(&req, result_mt(mt), "unknown message", "the Services api has no such message"));
}

} // namespace mpk::sim
