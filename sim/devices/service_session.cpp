#include "sim/devices/service_session.hpp"

#include "common/base/log.hpp"
#include "common/crypto/login_digest.hpp"
#include "common/crypto/random.hpp"
#include "common/json/writer.hpp"

namespace mpk::sim {

std::string digit_challenge() {
  // 16 random bytes → 16 digits; the bias of `% 10` does not matter for a login challenge.
  auto hex = crypto::random_hex(16);
  std::string out;
  out.reserve(16);
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    int v = std::stoi(hex.substr(i, 2), nullptr, 16);
    out.push_back(static_cast<char>('0' + v % 10));
  }
  return out;
}

service_session::service_session(std::shared_ptr<devices_instance> inst)
    : inst_(std::move(inst)), alive_(inst_->handlers_) {
  ++*alive_;
}

service_session::~service_session() { --*alive_; }

void service_session::on_open(const net::connection_ptr& conn) {
  conn_ = conn;
  conn_id_ = conn->id();
  remote_ = conn->remote();
  inst_->conn_opened(conn);
}

void service_session::on_close(std::string reason) {
  closed_ = true;
  if (conn_id_ != 0) {
    MPK_TRACE(link, "devices " + inst_->name(), "service session ", conn_id_, " closed: ", reason);
    inst_->conn_closed(conn_id_);
  }
  state_.reset();
  conn_.reset();
}

void service_session::send(std::string frame) {
  if (closed_) return;
  if (auto c = conn_.lock()) c->send_text(std::move(frame));
}

std::string service_session::reply_head(const json::envelope& env, std::string_view mt) const {
  json::json_writer w;
  json::begin_reply(w, env, mt);
  return w.take();
}

void service_session::on_message(std::string data, bool binary) {
  if (closed_ || conn_id_ == 0) return;
  if (binary) {
    send(R"({"mt":"Error","error":"binary frames are not part of this API"})");
    return;
  }
  json::envelope_errc err{};
  const json::envelope* env = parser_.parse(data, err);
  if (!env) {
    json::json_writer w;
    w.begin_object().member("mt", "Error").member("error", json::describe(err)).end_object();
    send(w.take());
    return;
  }
  if (!state_)
    handle_login_phase(*env);
  else
    handle_request(*env);
}

void service_session::handle_login_phase(const json::envelope& env) {
  auto mt = env.mt();
  if (mt == "AppChallenge") {
    challenge_ = digit_challenge();
    json::json_writer w;
    json::begin_reply(w, env, "AppChallengeResult");
    w.member("challenge", challenge_).end_object();
    send(w.take());
    return;
  }
  if (mt == "AppLogin") return handle_app_login(env);
  if (mt == "CheckBuild") {
    send(reply_head(env, "CheckBuildResult") + "}");
    return;
  }
  if (mt == "KeepAlive") return;
  // Before a successful login nothing else is served (docs/spec/appwebsocket.md §2).
  send(reply_head(env, std::string(mt) + "Result") + R"(,"error":"not logged in"})");
}

void service_session::handle_app_login(const json::envelope& env) {
  auto str = [&](std::string_view k) { return std::string(env.string(k).value_or("")); };
  crypto::login_fields f{str("app"), str("domain"), str("sip"), str("guid"), str("dn"), std::nullopt};
  std::optional<std::string> raw_info;
  if (auto r = env.raw("info")) raw_info = std::string(*r);
  std::string digest = str("digest");
  std::string challenge = std::move(challenge_);
  challenge_.clear(); // one login per challenge: no replay on the same socket

  std::string error;
  if (challenge.empty())
    error = "no challenge requested";
  else if (digest.empty())
    error = "digest missing";
  else {
    auto ok = [&](std::string_view password) {
      return crypto::verify_login_digest(f, raw_info, challenge, password, digest);
    };
    if (auto c = conn_.lock()) state_ = inst_->login(c, f.domain, ok, error);
  }
  json::json_writer w;
  json::begin_reply(w, env, "AppLoginResult");
  if (state_) {
    w.member("ok", true).member("domain", inst_->domain()).end_object();
    send(w.take());
    MPK_TRACE(link, "devices " + inst_->name(), "login ok (", state_->admin ? "admin" : "domain", ") from ", remote_);
    return;
  }
  w.member("ok", false).member("error", "LOGIN_FAILURE").member("errorText", error).end_object();
  send(w.take());
  MPK_TRACE(link, "devices " + inst_->name(), "login refused from ", remote_, ": ", error);
  if (auto c = conn_.lock()) c->close(1008, "login failed");
}

namespace {

/// `domainIds` as the GODEV client sends it (a comma list string), or tolerantly a number or array.
std::optional<std::string> domain_ids_of(const json::envelope& env, bool& bad) {
  bad = false;
  if (!env.has("domainIds")) return std::nullopt;
  if (auto s = env.string("domainIds")) return std::string(*s);
  if (auto n = env.integer("domainIds")) return std::to_string(*n);
  simdjson::dom::array arr;
  if (env.root()["domainIds"].get_array().get(arr) == simdjson::SUCCESS) {
    std::string out;
    for (auto el : arr) {
      std::int64_t v = 0;
      if (el.get_int64().get(v) != simdjson::SUCCESS) {
        bad = true;
        return std::nullopt;
      }
      if (!out.empty()) out += ',';
      out += std::to_string(v);
    }
    return out;
  }
  bad = true;
  return std::nullopt;
}

} // namespace

void service_session::handle_request(const json::envelope& env) {
  auto mt = env.mt();
  const std::string result_mt = std::string(mt) + "Result";
  if (mt == "GetUserInfo" || mt == "GetLoginInfo") {
    json::json_writer w;
    json::begin_reply(w, env, result_mt);
    w.member("key", state_->key).member("admin", state_->admin).member("domain", inst_->domain());
    if (!state_->admin) {
      if (auto d = inst_->domain_name_of(state_->domain_id)) w.member("userDomain", *d);
    }
    w.end_object();
    send(w.take());
    return;
  }
  if (mt == "SetDeviceFiler" || mt == "SetDeviceFilter") {
    // Effect unknown (docs/spec/devices-api.md §2.2): acknowledged, nothing else.
    send(reply_head(env, result_mt) + "}");
    return;
  }
  if (mt == "GetDomains") {
    inst_->send_domains(state_, reply_head(env, result_mt), env.boolean("recvUpdates").value_or(false));
    return;
  }
  if (mt == "GetDevices") {
    bool bad = false;
    auto ids = domain_ids_of(env, bad);
    std::string error = bad ? "domainIds must be a comma-separated list of domain ids" : "";
    if (error.empty())
      inst_->send_devices(state_, reply_head(env, result_mt), env.boolean("recvUpdates").value_or(false), ids,
                          env.boolean("unassigned").value_or(false), error);
    if (!error.empty()) {
      json::json_writer w;
      json::begin_reply(w, env, result_mt);
      w.key("devices").begin_array().end_array().member("last", true).member("error", error).end_object();
      send(w.take());
    }
    return;
  }
  if (mt == "GetUnassignedDevicesCount") {
    send(reply_head(env, result_mt) + ",\"count\":" + std::to_string(inst_->unassigned_count(state_)) + "}");
    return;
  }
  if (mt == "GetProvisioningCategories") {
    json::json_writer w;
    json::begin_reply(w, env, result_mt);
    std::int64_t domain = env.integer("domainId").value_or(state_->admin ? 0 : state_->domain_id);
    w.key("categories").begin_array();
    if (domain != 0 && state_->sees(domain)) {
      w.begin_object()
        .member("id", domain * 100 + 1)
        .member("domainId", domain)
        .member("name", "Phones")
        .member("config", true)
        .end_object();
    }
    w.end_array().member("last", true).end_object();
    send(w.take());
    return;
  }
  if (mt == "GetProvisioningCode") {
    std::string error;
    std::int64_t domain = env.integer("domainId").value_or(state_->admin ? 0 : state_->domain_id);
    auto code = inst_->make_provisioning_code(state_, domain, std::string(env.src()), error);
    json::json_writer w;
    json::begin_reply(w, env, result_mt);
    if (code) {
      bool rollout = env.boolean("rollout").value_or(false);
      auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
      w.member("code", *code)
        .member("validUntil", static_cast<std::int64_t>(now.count() + (rollout ? 7 * 86400 : 900)));
    } else {
      w.member("error", error);
    }
    w.end_object();
    send(w.take());
    return;
  }
  if (mt == "GetProvisionedDevice") {
    auto code = std::string(env.string("code").value_or(""));
    json::json_writer w;
    json::begin_reply(w, env, result_mt);
    w.member("code", code);
    std::string error;
    inst_->write_provisioned_device(state_, code, w, error);
    if (!error.empty()) w.member("error", error);
    w.end_object();
    send(w.take());
    return;
  }
  if (mt == "AppChallenge" || mt == "AppLogin") {
    send(reply_head(env, result_mt) + R"(,"error":"already logged in"})");
    return;
  }
  if (mt == "KeepAlive") return;
  send(reply_head(env, result_mt) + R"(,"error":"unknown message"})");
}

} // namespace mpk::sim
