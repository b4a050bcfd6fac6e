#include "tests/phone_session/devices_login.hpp"

#include "common/crypto/login_digest.hpp"
#include "common/net/client.hpp"

#include <simdjson.h>

namespace mpk::test {

namespace {

std::string member(const std::string& frame, const char* name) {
  simdjson::dom::parser p;
  simdjson::dom::object obj;
  if (p.parse(frame).get(obj) != simdjson::SUCCESS) return "";
  std::string_view v;
  if (obj[name].get(v) != simdjson::SUCCESS) return "";
  return std::string(v);
}

} // namespace

std::shared_ptr<devices_login> devices_login::open(net::io_runtime& rt, const std::string& ws_url,
                                                   const std::string& domain, const std::string& password,
                                                   std::string& err) {
  using namespace std::chrono_literals;
  auto s = std::make_shared<devices_login>();
  net::client_options o;
  o.url = ws_url;
  net::connect(rt, o, s);
  if (!s->wait_open(10s)) {
    err = "cannot connect to " + ws_url + ": " + s->reason_;
    return nullptr;
  }
  s->send(R"({"mt":"AppChallenge"})");
  auto ch = s->next("AppChallengeResult", 5s);
  if (!ch) {
    err = "no AppChallengeResult";
    return nullptr;
  }
  crypto::login_fields f{"devices-api", domain,      "myphonekeys", "0123456789abcdef0123456789abcdef",
                         "myPhoneKeys", std::nullopt};
  auto digest = crypto::login_digest(f, member(*ch, "challenge"), password);
  s->send(R"({"mt":"AppLogin","app":"devices-api","domain":")" + domain +
          R"(","sip":"myphonekeys","guid":"0123456789abcdef0123456789abcdef","dn":"myPhoneKeys","digest":")" + digest +
          "\"}");
  auto res = s->next("AppLoginResult", 5s);
  if (!res || res->find("\"ok\":true") == std::string::npos) {
    err = "login refused: " + (res ? *res : std::string("no answer"));
    return nullptr;
  }
  s->send(R"({"mt":"GetUserInfo"})");
  auto ui = s->next("GetUserInfoResult", 5s);
  if (!ui || member(*ui, "key").empty()) {
    err = "no passthrough key";
    return nullptr;
  }
  s->key_ = member(*ui, "key");
  return s;
}

void devices_login::close() {
  net::connection_ptr c;
  {
    std::lock_guard<std::mutex> lock(mu_);
    c = conn_;
  }
  if (c) c->close(1000, "done");
}

void devices_login::on_open(const net::connection_ptr& conn) {
  std::lock_guard<std::mutex> lock(mu_);
  conn_ = conn;
  opened_ = true;
  cv_.notify_all();
}

void devices_login::on_message(std::string data, bool binary) {
  if (binary) return;
  std::lock_guard<std::mutex> lock(mu_);
  inbox_.push_back(std::move(data));
  cv_.notify_all();
}

void devices_login::on_close(std::string reason) {
  std::lock_guard<std::mutex> lock(mu_);
  closed_ = true;
  reason_ = std::move(reason);
  conn_.reset();
  cv_.notify_all();
}

bool devices_login::wait_open(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, timeout, [&] { return opened_ || closed_; });
  return opened_ && !closed_;
}

void devices_login::send(std::string text) {
  net::connection_ptr c;
  {
    std::lock_guard<std::mutex> lock(mu_);
    c = conn_;
  }
  if (c) c->send_text(std::move(text));
}

std::optional<std::string> devices_login::next(const std::string& mt, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    while (!inbox_.empty()) {
      auto f = std::move(inbox_.front());
      inbox_.pop_front();
      if (member(f, "mt") == mt) return f;
    }
    if (closed_ || cv_.wait_until(lock, deadline) == std::cv_status::timeout) {
      if (inbox_.empty()) return std::nullopt;
    }
  }
}

} // namespace mpk::test
