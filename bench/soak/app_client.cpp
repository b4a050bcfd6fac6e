#include "bench/soak/app_client.hpp"

#include "bench/soak/documented_errors.hpp"
#include "common/crypto/login_digest.hpp"
#include "common/net/timer.hpp"

namespace mpk::soak {

app_client::app_client(const client_env& env, login_as who, std::string name, unsigned seed)
    : env_(env), counters_(*env.counters), name_(std::move(name)), rng_(seed), who_(std::move(who)) {}

std::chrono::milliseconds app_client::between(int lo_ms, int hi_ms) {
  return std::chrono::milliseconds(std::uniform_int_distribution<int>(lo_ms, hi_ms)(rng_));
}

void app_client::start() {
  auto self = shared_from_this();
  net::post(*env_.io, [self] { self->connect(); });
}

void app_client::stop() {
  auto self = shared_from_this();
  net::post(*env_.io, [self] {
    self->stopped_ = true;
    self->leave();
  });
}

void app_client::connect() {
  if (stopped_) return;
  net::client_options o;
  o.url = "ws://127.0.0.1:" + std::to_string(env_.port) + who_.path;
  o.limits.max_message_bytes = 16u << 20;
  net::connect(*env_.io, o, shared_from_this());
}

void app_client::on_open(const net::connection_ptr& conn) {
  conn_ = conn;
  leaving_ = false;
  logged_in_ = false;
  request("AppChallenge");
}

void app_client::on_close(std::string reason) {
  bool on_purpose = leaving_ || stopped_;
  if (!on_purpose) {
    ++counters_.service_closes;
    counters_.note(name_ + ": connection ended by the service (" + reason + ")" +
                   (open_.empty() ? "" : " with " + std::to_string(open_.size()) + " request(s) open"));
    counters_.open_at_close += open_.size();
  }
  counters_.open_now -= static_cast<std::int64_t>(open_.size());
  open_.clear();
  conn_.reset();
  logged_in_ = false;
  ++generation_;
  if (stopped_) return;
  auto self = shared_from_this();
  net::run_after(*env_.io, reconnect_delay(), [self] { self->connect(); });
}

void app_client::leave() {
  leaving_ = true;
  if (conn_) conn_->close(1000, "soak client leaves");
}

void app_client::send(std::string frame) {
  if (conn_) conn_->send_text(std::move(frame));
}

std::string app_client::request(const std::string& mt, const std::string& members) {
  auto src = name_ + "." + std::to_string(++next_src_);
  open_[src] = {mt, std::chrono::steady_clock::now()};
  ++counters_.requests;
  ++counters_.open_now;
  send("{\"mt\":\"" + mt + "\",\"src\":\"" + src + "\"" + (members.empty() ? "" : "," + members) + "}");
  std::weak_ptr<app_client> weak = shared_from_this();
  auto gen = generation_;
  net::run_after(*env_.io, env_.deadline, [weak, src, gen] {
    auto self = weak.lock();
    if (!self || self->generation_ != gen) return; // the connection ended: counted there
    auto it = self->open_.find(src);
    if (it == self->open_.end()) return;
    ++self->counters_.unanswered;
    self->counters_.note(self->name_ + ": " + it->second.mt + " (" + src + ") unanswered after " +
                         std::to_string(self->env_.deadline.count()) + " ms");
    self->open_.erase(it);
    --self->counters_.open_now;
    self->expired_.insert(src);
  });
  return src;
}

void app_client::later(std::chrono::milliseconds d, std::function<void()> fn) {
  std::weak_ptr<app_client> weak = shared_from_this();
  auto gen = generation_;
  net::run_after(*env_.io, d, [weak, gen, fn = std::move(fn)] {
    auto self = weak.lock();
    if (self && self->generation_ == gen && !self->stopped_) fn();
  });
}

void app_client::on_message(std::string data, bool is_binary) {
  if (is_binary) {
    if (logged_in_) binary(data);
    return;
  }
  simdjson::dom::object msg;
  if (parser_.parse(data).get(msg)) {
    counters_.note(name_ + ": a frame that is no JSON object: " + data.substr(0, 120));
    return;
  }
  std::string_view mt, src;
  if (msg["mt"].get(mt)) mt = {};
  if (msg["src"].get(src)) src = {};
  answer(msg, mt, src);
  if (mt == "AppChallengeResult") {
    std::string_view challenge;
    if (!msg["challenge"].get(challenge)) send_login(challenge);
    return;
  }
  if (mt == "AppLoginResult") {
    bool ok = false;
    if (msg["ok"].get(ok)) ok = {};
    if (!ok) {
      ++counters_.login_failures;
      counters_.note(name_ + ": login refused: " + data.substr(0, 200));
      return leave();
    }
    ++counters_.logins;
    logged_in_ = true;
    return logged_in();
  }
  if (logged_in_) text(msg, mt, src);
}

void app_client::answer(const simdjson::dom::object& msg, std::string_view mt, std::string_view src) {
  if (src.empty()) return;
  std::string key(src);
  auto it = open_.find(key);
  if (it == open_.end()) {
    if (expired_.erase(key)) ++counters_.late;
    return;
  }
  if (mt != it->second.mt + "Result")
    return; // a notification of that request (DevicesChanged, PhoneState …), not its answer
  auto it_mt = it->second.mt;
  open_.erase(it);
  --counters_.open_now;
  ++counters_.answered;
  std::string_view code, text;
  if (msg["error"].get(code)) return;
  if (msg["errorText"].get(text)) text = {};
  ++counters_.error_answers;
  counters_.count_error(it_mt + " " + std::string(code), std::string(text));
  if (!env_.documented_codes.count(std::string(code))) {
    ++counters_.undocumented_errors;
    counters_.note(name_ + ": " + std::string(mt) + " answered with undocumented code " + std::string(code) + " (" +
                   std::string(text) + ")");
  }
  if (shows_internals(text) || shows_internals(code)) {
    ++counters_.internal_texts;
    counters_.note(name_ + ": " + std::string(mt) + " shows internals: " + std::string(text));
  }
}

void app_client::send_login(std::string_view challenge) {
  const std::string zeros(32, '0');
  auto digest = crypto::login_digest({who_.name, "", who_.name, zeros, "Admin", std::nullopt}, std::string(challenge),
                                     who_.password);
  request("AppLogin", "\"app\":\"" + who_.name + "\",\"domain\":\"\",\"sip\":\"" + who_.name + "\",\"guid\":\"" +
                        zeros + "\",\"dn\":\"Admin\",\"digest\":\"" + digest + "\"");
}

} // namespace mpk::soak
