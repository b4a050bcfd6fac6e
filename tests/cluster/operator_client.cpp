#include "tests/cluster/operator_client.hpp"

#include "common/crypto/login_digest.hpp"

#include <simdjson.h>

namespace mpk::test {

browser::browser(net::io_runtime& io, unsigned short gateway_port, const std::string& password,
                 const std::string& ca_file) {
  net::tls_client_options tls;
  tls.ca_file = ca_file;
  ws_ = ws_client::open(io,
                        (ca_file.empty() ? "ws://127.0.0.1:" : "wss://127.0.0.1:") + std::to_string(gateway_port) +
                          "/tenant1.example.com/myphonekeys",
                        &error, 1 << 20, tls);
  if (!ws_) return;
  ws_->send_text(R"({"mt":"AppChallenge"})");
  auto ch = ws_->next_mt("AppChallengeResult");
  if (!ch) {
    error = "no AppChallengeResult";
    return;
  }
  std::string zeros(32, '0');
  auto digest = crypto::login_digest({"admin", "", "admin", zeros, "Admin", std::nullopt},
                                     json_doc(*ch).str("challenge"), password);
  ws_->send_text(R"({"mt":"AppLogin","app":"admin","domain":"","sip":"admin","guid":")" + zeros +
                 R"(","dn":"Admin","digest":")" + digest + "\"}");
  auto r = ws_->next_mt("AppLoginResult");
  ok_ = r && json_doc(*r).boolean("ok") == true;
  if (!ok_) error = "operator login failed: " + r.value_or("(nothing)");
}

bool browser::subscribe() {
  ws_->send_text(R"({"mt":"QueryDevices","src":"list","subscribe":true,"limit":500})");
  auto before = resets;
  return pump_until([&] { return resets > before; }, std::chrono::seconds(10));
}

bool browser::watch(const std::string& device) {
  watched = device;
  ws_->send_text(R"({"mt":"Watch","src":"watch","device":")" + device + "\"}");
  bool got = false;
  auto end = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (!got && std::chrono::steady_clock::now() < end) {
    auto f = ws_->next(std::chrono::milliseconds(200));
    if (!f) continue;
    if (f->binary) {
      ++frames;
      continue;
    }
    if (f->data.find("\"WatchResult\"") != std::string::npos) {
      if (f->data.find("\"error\"") != std::string::npos) {
        error = f->data;
        return false;
      }
      got = true;
    } else {
      on_text(f->data);
    }
  }
  return got;
}

void browser::pump(std::chrono::milliseconds d) {
  auto end = std::chrono::steady_clock::now() + d;
  while (std::chrono::steady_clock::now() < end) {
    auto f = ws_->next(std::chrono::milliseconds(50));
    if (!f) {
      if (ws_->closed()) return;
      continue;
    }
    if (f->binary)
      on_lcd(f->data);
    else
      on_text(f->data);
  }
}

bool browser::key(const std::string& name, std::string* answer) {
  ws_->send_text(R"({"mt":"Key","src":"key","device":")" + watched + R"(","key":")" + name + "\"}");
  auto end = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < end && !closed()) {
    auto f = ws_->next(std::chrono::milliseconds(100));
    if (!f) continue;
    if (f->binary) {
      on_lcd(f->data);
    } else if (f->data.find("\"KeyResult\"") != std::string::npos) {
      if (answer) *answer = f->data;
      return json_doc(f->data).boolean("ok") == true;
    } else {
      on_text(f->data);
    }
  }
  if (answer) *answer = closed() ? "(connection closed)" : "(no KeyResult)";
  return false;
}

void browser::on_lcd(const std::string& data) {
  // LCD frame: 'L', codec, seq (u32 BE), ...
  if (data.size() < 19 || data[0] != 'L') return;
  ++frames;
  auto b = [&](int i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(data[static_cast<std::size_t>(i)]));
  };
  auto seq = (b(2) << 24) | (b(3) << 16) | (b(4) << 8) | b(5);
  ws_->send_text(R"({"mt":"FrameAck","device":")" + watched + R"(","seq":)" + std::to_string(seq) + "}");
}

std::string browser::request(const std::string& mt, const std::string& members) {
  auto src = "r" + std::to_string(answers.size() + 1);
  auto& a = answers[src];
  a.request_mt = mt;
  a.sent = std::chrono::steady_clock::now();
  ws_->send_text(R"({"mt":")" + mt + R"(","src":")" + src + "\"" + (members.empty() ? "" : "," + members) + "}");
  return src;
}

void browser::on_text(const std::string& text) {
  texts.push_back(text);
  simdjson::dom::parser p;
  simdjson::dom::object o;
  if (p.parse(text).get(o)) return;
  std::string_view mt, src, state, reason;
  if (o["mt"].get(mt)) return;
  if (!o["src"].get(src))
    if (auto it = answers.find(std::string(src)); it != answers.end() && it->second.text.empty()) {
      it->second.text = text;
      it->second.answered = std::chrono::steady_clock::now();
    }
  if (mt == "PhoneState" && !o["state"].get(state)) {
    if (o["reason"].get(reason)) reason = {};
    phone_states.emplace_back(std::string(state), std::string(reason));
  }
  auto apply = [&](simdjson::dom::array arr) {
    for (auto d : arr) {
      std::string_view id, hw;
      bool online = false;
      if (d["id"].get(id) || d["hwId"].get(hw)) continue;
      if (d["online"].get(online)) online = {};
      devices[std::string(id)] = device{std::string(hw), online};
    }
  };
  simdjson::dom::array arr;
  if (mt == "QueryDevicesResult") {
    if (o["devices"].get(arr)) return;
    devices.clear();
    apply(arr);
    ++resets;
  } else if (mt == "DevicesChanged") {
    if (!o["added"].get(arr)) apply(arr);
    if (!o["changed"].get(arr)) apply(arr);
    if (!o["removed"].get(arr))
      for (auto id : arr) {
        std::string_view s;
        if (!id.get(s)) devices.erase(std::string(s));
      }
  }
}

} // namespace mpk::test
