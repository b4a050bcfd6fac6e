#include "sim/live/live_phone.hpp"

#include "common/base/log.hpp"
#include "common/crypto/sysclient_crypto.hpp"
#include "common/http/parser.hpp"
#include "common/http/serializer.hpp"
#include "common/json/writer.hpp"
#include "common/net/client.hpp"
#include "common/sysclient/codec.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cctype>

namespace mpk::sim {

namespace {

std::string admin_frame(sysclient::admin_type type, std::string json) {
  return sysclient::encode(sysclient::admin_message{static_cast<std::uint16_t>(type), std::move(json)});
}

std::string tunnel_frame(std::uint32_t session, sysclient::tunnel_event ev, std::string data = {}) {
  return sysclient::encode(sysclient::tunnel_message{session, static_cast<std::uint32_t>(ev), std::move(data)});
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string json_string(const std::string& text, std::string_view key) {
  simdjson::dom::parser p;
  simdjson::dom::element root;
  std::string_view v;
  if (p.parse(text).get(root) != simdjson::SUCCESS) return {};
  if (root[key].get_string().get(v) != simdjson::SUCCESS) return {};
  return std::string(v);
}

/// One request of a tunnel session (a real phone would run one HTTP connection per session).
std::optional<http::request> parse_request(const std::string& bytes, std::string& error) {
  http::request_parser p;
  auto st = p.feed(bytes);
  if (st == http::parse_state::complete) return p.take();
  if (st == http::parse_state::error) error = p.error();
  return std::nullopt;
}

/// `n` random bytes (xorshift64): what a phone with a broken web server might send as a body.
std::string garbage_body(std::uint64_t& state, std::size_t n) {
  std::string out(n, '\0');
  for (auto& c : out) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    c = static_cast<char>(state & 0xff);
  }
  return out;
}

} // namespace

std::string firmware_file(const std::string& product) { return lower(product) + ".bin"; }

std::string boot_file(const std::string& product) {
  std::string digits;
  for (char c : product)
    if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
  return "boot" + digits + ".bin";
}

/// The websocket callbacks of one connection attempt, tagged with its generation.
class live_phone::link final : public net::connection_handler {
public:
  link(std::weak_ptr<live_phone> phone, std::uint64_t gen, std::shared_ptr<std::atomic<int>> alive)
      : phone_(std::move(phone)), gen_(gen), alive_(std::move(alive)) {
    ++*alive_;
  }
  ~link() override { --*alive_; }
  void on_open(const net::connection_ptr& conn) override {
    if (auto p = phone_.lock())
      p->on_open(gen_, conn);
    else
      conn->close(1001, "phone gone");
  }
  void on_message(std::string data, bool binary) override {
    if (!binary) return; // sysclient frames are binary only
    if (auto p = phone_.lock()) p->on_frame(gen_, data);
  }
  void on_close(std::string reason) override {
    if (auto p = phone_.lock()) p->on_closed(gen_, reason);
  }

private:
  std::weak_ptr<live_phone> phone_;
  std::uint64_t gen_;
  std::shared_ptr<std::atomic<int>> alive_;
};

live_phone::live_phone(net::io_runtime& rt, sim_phone::phone_web web, std::string sysclient_password,
                       live_phone_options opts, std::string provisioning_code)
    : rt_(rt),
      hw_id_(web.identity().hw_id),
      opts_(std::move(opts)),
      web_(std::move(web)),
      sysclient_password_(std::move(sysclient_password)),
      provisioning_code_(std::move(provisioning_code)) {}

live_phone::~live_phone() = default;

void live_phone::start() {
  std::lock_guard lock(mu_);
  if (started_ || stopped_) return;
  started_ = true;
  connect_locked();
}

void live_phone::stop() {
  net::connection_ptr c;
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
    ++gen_;
    if (retry_) retry_->cancel();
    c = std::move(conn_);
    sessions_.clear();
  }
  if (c) c->close(1001, "phone switched off");
}

void live_phone::set_online(bool online) {
  net::connection_ptr c;
  {
    std::lock_guard lock(mu_);
    if (stopped_ || enabled_ == online) return;
    enabled_ = online;
    if (!online) {
      ++gen_; // the link's close must not schedule a reconnect
      if (retry_) retry_->cancel();
      c = std::move(conn_);
      sessions_.clear();
      connecting_ = false;
    } else {
      backoff_ = std::chrono::milliseconds(0);
      if (started_ && !conn_ && !connecting_) connect_locked();
    }
  }
  if (c) c->close(1000, "phone unplugged");
}

bool live_phone::connected() const {
  std::lock_guard lock(mu_);
  return conn_ != nullptr;
}

bool live_phone::enabled() const {
  std::lock_guard lock(mu_);
  return enabled_;
}

std::uint64_t live_phone::connects() const {
  std::lock_guard lock(mu_);
  return connects_;
}

std::string live_phone::sysclient_password() const {
  std::lock_guard lock(mu_);
  return sysclient_password_;
}

std::string live_phone::admin_password() const {
  std::lock_guard lock(mu_);
  return admin_password_;
}

void live_phone::connect_locked() {
  if (stopped_ || !enabled_) return;
  connecting_ = true;
  auto gen = ++gen_;
  net::client_options o;
  o.url = opts_.url;
  o.tls = opts_.tls;
  o.connect_timeout = std::chrono::seconds(5);
  o.limits.max_message_bytes = 1 << 20;
  net::connect(rt_, std::move(o), std::make_shared<link>(weak_from_this(), gen, links_alive_));
}

void live_phone::schedule_reconnect_locked(std::chrono::milliseconds delay) {
  if (retry_) retry_->cancel();
  std::weak_ptr<live_phone> weak = weak_from_this();
  retry_ = net::run_after(rt_, delay, [weak] {
    if (auto self = weak.lock()) {
      std::lock_guard lock(self->mu_);
      if (!self->conn_ && !self->connecting_) self->connect_locked();
    }
  });
}

void live_phone::on_open(std::uint64_t gen, const net::connection_ptr& conn) {
  std::lock_guard lock(mu_);
  if (gen != gen_ || stopped_ || !enabled_) {
    conn->close(1000, "stale connection");
    return;
  }
  connecting_ = false;
  conn_ = conn;
  ++connects_;
  sessions_.clear();
  send_identify_locked({});
}

void live_phone::on_closed(std::uint64_t gen, const std::string& reason) {
  std::lock_guard lock(mu_);
  if (gen != gen_) return; // an older link, or one we closed on purpose
  connecting_ = false;
  conn_.reset();
  sessions_.clear();
  if (stopped_ || !enabled_) return;
  // Backoff with a little spread so a restarted Devices App is not hit by every phone at once.
  backoff_ = backoff_.count() == 0 ? opts_.backoff_min : std::min(backoff_ * 2, opts_.backoff_max);
  auto spread = std::chrono::milliseconds(std::hash<std::string>{}(hw_id_ + std::to_string(connects_)) % 100);
  MPK_TRACE(link, "phone " + hw_id_, "sysclient link closed (", reason, "), reconnect in ", (backoff_ + spread).count(),
            " ms");
  schedule_reconnect_locked(backoff_ + spread);
}

void live_phone::send_identify_locked(const std::string& challenge) {
  const auto& id = web_.identity();
  json::json_writer w;
  w.begin_object().member("id", id.hw_id).member("product", id.product).member("version", id.version);
  w.key("platform").begin_object().member("type", "PHONE").end_object();
  w.member("name", id.name);
  w.key("ethIfs").begin_array().begin_object().member("if", "ETH0").member("ipv4", id.ip).end_object().end_array();
  w.member("pbxActive", false)
    .member("fw", firmware_file(id.product))
    .member("bc", boot_file(id.product))
    .member("major", id.version.substr(0, id.version.find(' ')));
  if (!provisioning_code_.empty() && sysclient_password_.empty()) w.member("provisioningCode", provisioning_code_);
  if (!challenge.empty())
    w.member("digest", crypto::sysclient_digest(id.hw_id, id.product, id.version, challenge, sysclient_password_));
  w.end_object();
  conn_->send_binary(admin_frame(sysclient::admin_type::identify, w.take()));
}

void live_phone::on_frame(std::uint64_t gen, const std::string& data) {
  std::lock_guard lock(mu_);
  if (gen != gen_ || !conn_) return;
  auto res = sysclient::decode(data);
  if (!res.msg) {
    MPK_WARN("phone " + hw_id_, "bad sysclient frame: ", res.error);
    return;
  }
  if (auto* t = std::get_if<sysclient::tunnel_message>(&*res.msg)) {
    on_tunnel_locked(t->session, t->event, t->data);
    return;
  }
  auto& a = std::get<sysclient::admin_message>(*res.msg);
  switch (static_cast<sysclient::admin_type>(a.type)) {
    case sysclient::admin_type::challenge: send_identify_locked(json_string(a.json, "challenge")); break;
    case sysclient::admin_type::password: {
      auto pw = json_string(a.json, "password");
      if (!pw.empty()) sysclient_password_ = pw; // persisted: used for every later challenge
      break;
    }
    case sysclient::admin_type::admin_password: {
      auto plain =
        crypto::decrypt_admin_password(json_string(a.json, "seed"), json_string(a.json, "pwd"), sysclient_password_);
      if (plain) {
        admin_password_ = *plain;
        web_.admin().set_password(*plain); // the admin UI asks for it from now on
      }
      break;
    }
    default: break; // provision results and configuration items are not used by phones
  }
}

void live_phone::set_fault(phone_fault f) {
  std::lock_guard lock(mu_);
  fault_ = f;
}

phone_fault live_phone::fault() const {
  std::lock_guard lock(mu_);
  return fault_;
}

void live_phone::on_tunnel_locked(std::uint32_t session, std::uint32_t event, const std::string& data) {
  switch (static_cast<sysclient::tunnel_event>(event)) {
    case sysclient::tunnel_event::send: {
      // A new session id means a new connection to the local web server (docs/spec/devices-api.md §5.4).
      auto& t = sessions_[session];
      if (!t.answered) {
        t.in += data;
        std::string error;
        auto req = parse_request(t.in, error);
        if (req && fault_ == phone_fault::silent) {
          // Taken and never answered: receives wait for ever, the Devices side times out.
          t.in.clear();
        } else if (req || !error.empty()) {
          sim_phone::web_response res;
          if (req) {
            res = web_.handle(sim_phone::web_request{req->method, req->target, req->body, req->headers.items});
            if (fault_ == phone_fault::garbage)
              res.body = garbage_body(garbage_state_, std::max<std::size_t>(res.body.size(), 64));
          } else {
            res = {400, "text/plain", "bad request: " + error + "\n"};
          }
          http::response out;
          out.status = res.status;
          out.reason = std::string(http::reason_phrase(res.status));
          if (out.reason.empty()) out.reason = "Status";
          if (!res.content_type.empty()) out.headers.set("Content-Type", res.content_type);
          for (auto& f : res.headers) out.headers.items.push_back(f); // Set-Cookie may come several times
          out.headers.set("Connection", "close");
          out.body = std::move(res.body);
          t.out = http::serialize(out); // always with Content-Length
          t.answered = true;
          t.in.clear();
        }
      }
      conn_->send_binary(tunnel_frame(session, sysclient::tunnel_event::send_result));
      if (t.answered && t.waiting) {
        auto len = t.waiting - 1;
        t.waiting = 0;
        answer_receive_locked(session, t, len);
      }
      return;
    }
    case sysclient::tunnel_event::recv: {
      auto it = sessions_.find(session);
      if (it == sessions_.end()) {
        conn_->send_binary(tunnel_frame(session, sysclient::tunnel_event::shutdown));
        return;
      }
      std::uint32_t len = 0;
      if (data.size() == 4)
        len = (std::uint32_t(std::uint8_t(data[0])) << 24) | (std::uint32_t(std::uint8_t(data[1])) << 16) |
              (std::uint32_t(std::uint8_t(data[2])) << 8) | std::uint32_t(std::uint8_t(data[3]));
      if (!it->second.answered) {
        it->second.waiting = len + 1; // answered as soon as the request is complete
        return;
      }
      answer_receive_locked(session, it->second, len);
      return;
    }
    case sysclient::tunnel_event::shutdown: {
      sessions_.erase(session);
      conn_->send_binary(tunnel_frame(session, sysclient::tunnel_event::shutdown));
      if (web_.reboot_pending()) reboot_locked();
      return;
    }
    default: return; // results travel device → Devices only
  }
}

void live_phone::answer_receive_locked(std::uint32_t session, tunnel_session& t, std::uint32_t length) {
  if (t.sent >= t.out.size()) {
    // Everything was read: the local server closed its side of the connection [inf].
    conn_->send_binary(tunnel_frame(session, sysclient::tunnel_event::shutdown));
    return;
  }
  // Length 0 means "whatever you have" (GOSYS trace); never more than max_result_bytes.
  std::size_t n = length == 0 ? opts_.max_result_bytes : std::min<std::size_t>(length, opts_.max_result_bytes);
  n = std::min(n, t.out.size() - t.sent);
  conn_->send_binary(tunnel_frame(session, sysclient::tunnel_event::recv_result, t.out.substr(t.sent, n)));
  t.sent += n;
}

void live_phone::reboot_locked() {
  web_.take_reboot();
  // The phone restarts: its link drops, it stays away for a moment, then comes back.
  ++gen_;
  auto c = std::move(conn_);
  sessions_.clear();
  connecting_ = false;
  if (c) c->close(1001, "phone rebooting");
  backoff_ = std::chrono::milliseconds(0);
  MPK_INFO("phone " + hw_id_, "rebooting, back in ", opts_.reboot_offline.count(), " ms");
  if (!stopped_ && enabled_) schedule_reconnect_locked(opts_.reboot_offline);
}

std::string live_phone::counters_json() const {
  std::lock_guard lock(mu_);
  const auto& c = web_.counters();
  json::json_writer w;
  w.begin_object()
    .member("hwId", hw_id_)
    .member("product", web_.identity().product)
    .member("connected", conn_ != nullptr)
    .member("connects", connects_)
    .member("requests", c.requests)
    .member("lcdDumps", c.lcd_dumps);
  w.key("keyPresses").begin_object();
  for (auto& [code, n] : c.key_presses) w.member(code, n);
  w.end_object();
  w.member("touches", c.touches);
  w.key("texts").begin_array();
  for (auto& t : c.texts) w.value(t);
  w.end_array();
  w.key("commands").begin_array();
  for (auto& t : c.commands) w.value(t);
  w.end_array();
  w.key("actions").begin_object();
  for (auto& [name, n] : c.actions) w.member(name, n);
  w.end_object();
  w.member("lastDialled", c.last_dialled)
    .member("reboots", c.reboots)
    .member("notFound", c.not_found)
    .member("badRequests", c.bad_requests);
  w.key("registrations").begin_array();
  for (auto& r : web_.ui().registrations())
    w.begin_object().member("slot", r.id).member("state", models::to_string(models::classify(r))).end_object();
  w.end_array();
  const auto& a = web_.admin().stats();
  w.key("adminUi")
    .begin_object()
    .member("challenges", a.challenges)
    .member("logins", a.logins)
    .member("settingsSaved", a.settings_saved)
    .member("downloads", a.downloads)
    .member("uploads", a.uploads)
    .member("uploadBytes", a.upload_bytes)
    .member("location", web_.admin().location())
    .end_object();
  w.end_object();
  return w.take();
}

} // namespace mpk::sim
