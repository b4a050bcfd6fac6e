#include "tests/sim/ws_client.hpp"

#include "common/crypto/login_digest.hpp"

namespace mpk::test {

std::shared_ptr<ws_client> ws_client::open(net::io_runtime& rt, const std::string& url, std::string* error,
                                           std::size_t max_message, net::tls_client_options tls) {
  auto c = std::make_shared<ws_client>();
  net::client_options o;
  o.url = url;
  o.limits.max_message_bytes = max_message;
  o.tls = std::move(tls);
  net::connect(rt, o, c);
  std::unique_lock lock(c->mu_);
  c->cv_.wait_for(lock, 10s, [&] { return c->opened_ || c->closed_; });
  if (!c->opened_) {
    if (error) *error = c->closed_ ? c->reason_ : "timeout";
    return nullptr;
  }
  return c;
}

void ws_client::on_open(const net::connection_ptr& conn) {
  std::lock_guard lock(mu_);
  conn_ = conn;
  opened_ = true;
  cv_.notify_all();
}

void ws_client::on_message(std::string data, bool binary) {
  std::lock_guard lock(mu_);
  inbox_.push_back({std::move(data), binary});
  cv_.notify_all();
}

void ws_client::on_close(std::string reason) {
  std::lock_guard lock(mu_);
  closed_ = true;
  reason_ = std::move(reason);
  conn_.reset();
  cv_.notify_all();
}

void ws_client::send_text(std::string s) {
  std::lock_guard lock(mu_);
  if (auto c = conn_.lock()) c->send_text(std::move(s));
}

void ws_client::send_binary(std::string s) {
  std::lock_guard lock(mu_);
  if (auto c = conn_.lock()) c->send_binary(std::move(s));
}

void ws_client::close() {
  std::lock_guard lock(mu_);
  if (auto c = conn_.lock()) c->close(1000, "test done");
}

std::optional<frame> ws_client::next(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, timeout, [&] { return !inbox_.empty() || closed_; });
  if (inbox_.empty()) return std::nullopt;
  auto f = std::move(inbox_.front());
  inbox_.pop_front();
  return f;
}

std::optional<std::string> ws_client::next_mt(std::string_view mt, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    auto f = next(left);
    if (!f) return std::nullopt;
    if (f->binary) continue;
    json_doc d(f->data);
    if (d.ok && d.str("mt") == mt) return std::move(f->data);
  }
}

bool ws_client::wait_closed(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return closed_; });
}

bool ws_client::closed() const {
  std::lock_guard lock(mu_);
  return closed_;
}

std::string ws_client::close_reason() const {
  std::lock_guard lock(mu_);
  return reason_;
}

json_doc::json_doc(std::string_view text) {
  ok = parser.parse(text.data(), text.size()).get(root) == simdjson::SUCCESS;
}

std::string json_doc::str(std::string_view key) const {
  std::string_view v;
  if (ok && root[key].get_string().get(v) == simdjson::SUCCESS) return std::string(v);
  return {};
}

std::optional<bool> json_doc::boolean(std::string_view key) const {
  bool v = false;
  if (ok && root[key].get_bool().get(v) == simdjson::SUCCESS) return v;
  return std::nullopt;
}

std::optional<std::int64_t> json_doc::integer(std::string_view key) const {
  std::int64_t v = 0;
  if (ok && root[key].get_int64().get(v) == simdjson::SUCCESS) return v;
  return std::nullopt;
}

std::string app_login(ws_client& ws, const std::string& app, const std::string& domain, const std::string& sip,
                      const std::string& password, const std::optional<std::string>& info) {
  ws.send_text(R"({"mt":"AppChallenge"})");
  auto ch = ws.next_mt("AppChallengeResult");
  if (!ch) return {};
  std::string challenge = json_doc(*ch).str("challenge");
  crypto::login_fields f{app, domain, sip, "0123456789abcdef0123456789abcdef", "Test " + sip, info};
  auto digest = crypto::login_digest(f, challenge, password);
  std::string msg = R"({"mt":"AppLogin","app":")" + app + R"(","domain":")" + domain + R"(","sip":")" + sip +
                    R"(","guid":")" + f.guid + R"(","dn":")" + f.dn + R"(","digest":")" + digest + "\"";
  if (info) msg += ",\"info\":" + *info;
  msg += "}";
  ws.send_text(msg);
  auto res = ws.next_mt("AppLoginResult");
  return res ? *res : std::string();
}

} // namespace mpk::test
