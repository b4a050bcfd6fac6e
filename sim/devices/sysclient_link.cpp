#include "sim/devices/sysclient_link.hpp"

#include "common/base/log.hpp"
#include "common/json/writer.hpp"
#include "common/net/http_proxy.hpp"
#include "common/sysclient/codec.hpp"
#include "sim/devices/service_session.hpp"

namespace mpk::sim {

namespace {

/// How much the Devices side asks for per "socket receive" [inf]: the device answers with at
/// most this many bytes (our phones send ≤ 8000 per result, like GOSYS).
constexpr std::uint32_t receive_chunk = 64 * 1024;
/// Request bytes per "socket send": a large upload goes to the device in pieces, each acked
/// with a send-result, never as one websocket message beyond the device's frame limit [inf].
constexpr std::size_t send_piece = 64 * 1024;
/// Receive results without data in a row before the tunnel counts as broken.
constexpr int max_empty_reads = 64;

std::string admin_frame(sysclient::admin_type type, std::string json) {
  return sysclient::encode(sysclient::admin_message{static_cast<std::uint16_t>(type), std::move(json)});
}

std::string tunnel_frame(std::uint32_t session, sysclient::tunnel_event ev, std::string data = {}) {
  return sysclient::encode(sysclient::tunnel_message{session, static_cast<std::uint32_t>(ev), std::move(data)});
}

std::string str_of(simdjson::dom::object obj, std::string_view key) {
  std::string_view v;
  if (obj[key].get_string().get(v) == simdjson::SUCCESS) return std::string(v);
  return {};
}

} // namespace

sysclient_link::sysclient_link(std::shared_ptr<devices_instance> inst)
    : inst_(std::move(inst)), alive_(inst_->handlers_) {
  ++*alive_;
}

sysclient_link::~sysclient_link() { --*alive_; }

void sysclient_link::on_open(const net::connection_ptr& conn) {
  conn_ = conn;
  conn_id_ = conn->id();
  remote_ = conn->remote();
  inst_->conn_opened(conn);
}

void sysclient_link::send(std::string frame) {
  if (auto c = conn_.lock()) c->send_binary(std::move(frame));
}

void sysclient_link::drop(int code, std::string reason) {
  if (auto c = conn_.lock()) c->close(code, std::move(reason));
}

void sysclient_link::on_close(std::string reason) {
  closed_ = true;
  std::map<std::uint32_t, std::shared_ptr<call>> calls;
  {
    std::lock_guard lock(mu_);
    link_lost_ = true;
    calls.swap(calls_);
  }
  for (auto& [id, c] : calls) {
    if (c->timer) c->timer->cancel();
    c->respond(net::http_reply::text(502, "device connection lost during the passthrough request\n"));
  }
  if (conn_id_ != 0) inst_->conn_closed(conn_id_);
  if (stage_ == stage::online) inst_->link_closed(this, hw_id_);
  MPK_TRACE(link, "devices " + inst_->name(), "sysclient ", hw_id_.empty() ? "?" : hw_id_, " closed: ", reason);
}

void sysclient_link::on_message(std::string data, bool binary) {
  if (closed_) return;
  if (!binary) {
    drop(1003, "sysclient frames are binary");
    return;
  }
  auto res = sysclient::decode(data);
  if (!res.msg) {
    MPK_WARN("devices " + inst_->name(), "bad sysclient frame from ", remote_, ": ", res.error);
    drop(1002, "bad sysclient frame: " + res.error);
    return;
  }
  if (auto* a = std::get_if<sysclient::admin_message>(&*res.msg)) return on_admin(a->type, a->json);
  auto& t = std::get<sysclient::tunnel_message>(*res.msg);
  on_tunnel(t.session, t.event, t.data);
}

void sysclient_link::on_admin(std::uint16_t type, const std::string& json) {
  switch (static_cast<sysclient::admin_type>(type)) {
    case sysclient::admin_type::identify: return on_identify(json);
    case sysclient::admin_type::provision:
      // FXS provisioning (0x0004) is not simulated: answered with a clear error (0x0005).
      send(admin_frame(sysclient::admin_type::provision_result,
                       R"({"error":"provisioning of FXS interfaces is not simulated"})"));
      return;
    default:
      // Device → Devices only sends identify and provision; anything else is ignored.
      return;
  }
}

void sysclient_link::on_identify(const std::string& text) {
  simdjson::dom::element root;
  simdjson::dom::object obj;
  if (json_.parse(text).get(root) != simdjson::SUCCESS || root.get_object().get(obj) != simdjson::SUCCESS) {
    drop(1007, "identify is not a JSON object");
    return;
  }
  device_record rep;
  rep.hw_id = str_of(obj, "id");
  rep.product = str_of(obj, "product");
  rep.version = str_of(obj, "version");
  rep.name = str_of(obj, "name");
  simdjson::dom::object platform;
  if (obj["platform"].get_object().get(platform) == simdjson::SUCCESS) rep.type = str_of(platform, "type");
  bool pbx = false;
  if (obj["pbxActive"].get_bool().get(pbx) == simdjson::SUCCESS) rep.pbx_active = pbx;
  simdjson::dom::array ifs;
  if (obj["ethIfs"].get_array().get(ifs) == simdjson::SUCCESS) {
    for (auto el : ifs) {
      simdjson::dom::object e;
      if (el.get_object().get(e) != simdjson::SUCCESS) continue;
      rep.eth_ifs.push_back({str_of(e, "if"), str_of(e, "ipv4")});
    }
  }
  std::string digest = str_of(obj, "digest");
  std::string code = str_of(obj, "provisioningCode");
  if (rep.hw_id.empty() || rep.hw_id.size() > 64 || rep.product.empty() || rep.version.empty()) {
    drop(1008, "identify needs id, product and version");
    return;
  }
  if (stage_ == stage::online) return; // a repeated identify changes nothing once in
  if (stage_ == stage::challenged && !hw_id_.empty() && rep.hw_id != hw_id_) {
    drop(1008, "identify id changed during the challenge");
    return;
  }

  devices_instance::identify_outcome out;
  if (stage_ == stage::challenged && !digest.empty()) {
    out = inst_->authenticate(shared_from_this(), rep, challenge_, digest);
  } else {
    hw_id_ = rep.hw_id;
    out = inst_->identify(shared_from_this(), rep, code);
  }
  switch (out.what) {
    case devices_instance::identify_outcome::challenge: {
      stage_ = stage::challenged;
      challenge_ = digit_challenge();
      json::json_writer w;
      w.begin_object().member("challenge", challenge_).end_object();
      send(admin_frame(sysclient::admin_type::challenge, w.take()));
      return;
    }
    case devices_instance::identify_outcome::accepted:
      stage_ = stage::online;
      hw_id_ = rep.hw_id;
      if (!out.sysclient_password.empty()) send_password(out.sysclient_password);
      if (!out.admin_seed.empty()) send_admin_password(out.admin_seed, out.admin_pwd_hex);
      MPK_TRACE(link, "devices " + inst_->name(), "sysclient ", hw_id_, " online");
      return;
    case devices_instance::identify_outcome::refused:
      MPK_TRACE(link, "devices " + inst_->name(), "sysclient ", rep.hw_id, " refused: ", out.error);
      // Rejection behaviour is undocumented (docs/spec/devices-api.md §5.3); closing is what a client can detect [inf].
      drop(1008, out.error);
      return;
  }
}

void sysclient_link::send_password(const std::string& password) {
  json::json_writer w;
  w.begin_object().member("password", password).end_object();
  send(admin_frame(sysclient::admin_type::password, w.take()));
}

void sysclient_link::send_admin_password(const std::string& seed, const std::string& pwd_hex) {
  json::json_writer w;
  w.begin_object().member("seed", seed).member("pwd", pwd_hex).end_object();
  send(admin_frame(sysclient::admin_type::admin_password, w.take()));
}

std::size_t sysclient_link::open_tunnels() const {
  std::lock_guard lock(mu_);
  return calls_.size();
}

void sysclient_link::tunnel(std::string request_bytes, bool head, std::chrono::milliseconds timeout,
                            net::http_responder respond) {
  auto c = std::make_shared<call>();
  c->respond = std::move(respond);
  c->parser.expect_no_body(head);
  std::uint32_t id = 0;
  {
    std::lock_guard lock(mu_);
    if (link_lost_) {
      c->respond(net::http_reply::text(503, "device offline\n"));
      return;
    }
    id = next_session_++;
    if (next_session_ == 0) next_session_ = 1;
    calls_[id] = c;
  }
  std::weak_ptr<sysclient_link> weak = shared_from_this();
  auto timer = net::run_after(inst_->rt_, timeout, [weak, id] {
    if (auto self = weak.lock())
      self->finish(id, net::http_reply::text(504, "no response from the device within the passthrough timeout\n"),
                   true);
  });
  {
    std::lock_guard lock(mu_);
    auto it = calls_.find(id);
    if (it != calls_.end())
      it->second->timer = timer;
    else
      timer->cancel();
  }
  std::string first;
  {
    std::lock_guard lock(mu_);
    auto it = calls_.find(id);
    if (it == calls_.end()) return;
    it->second->unsent = std::move(request_bytes);
    first = it->second->unsent.substr(0, send_piece);
    it->second->unsent.erase(0, first.size());
  }
  send(tunnel_frame(id, sysclient::tunnel_event::send, std::move(first)));
}

void sysclient_link::finish(std::uint32_t session, net::http_reply reply, bool shutdown) {
  std::shared_ptr<call> c;
  {
    std::lock_guard lock(mu_);
    auto it = calls_.find(session);
    if (it == calls_.end()) return;
    c = std::move(it->second);
    calls_.erase(it);
  }
  if (c->timer) c->timer->cancel();
  if (shutdown) send(tunnel_frame(session, sysclient::tunnel_event::shutdown));
  c->respond(std::move(reply));
}

void sysclient_link::on_tunnel(std::uint32_t session, std::uint32_t event, const std::string& data) {
  if (stage_ != stage::online) return; // no tunnel before the device is in
  std::shared_ptr<call> c;
  {
    std::lock_guard lock(mu_);
    auto it = calls_.find(session);
    if (it != calls_.end()) c = it->second;
  }
  if (!c) return; // late events of a finished call (e.g. the device's shutdown answer)
  switch (static_cast<sysclient::tunnel_event>(event)) {
    case sysclient::tunnel_event::send_result: {
      std::string next;
      {
        std::lock_guard lock(mu_);
        next = c->unsent.substr(0, send_piece);
        c->unsent.erase(0, next.size());
      }
      if (!next.empty())
        send(tunnel_frame(session, sysclient::tunnel_event::send, std::move(next)));
      else
        send(sysclient::encode_recv(session, receive_chunk));
      return;
    }
    case sysclient::tunnel_event::recv_result: {
      if (data.empty() && ++c->empty_reads > max_empty_reads)
        return finish(session, net::http_reply::text(502, "device sent no response data\n"), true);
      // Only this strand feeds the parser, so it needs no lock.
      auto st = c->parser.feed(data);
      if (st == http::parse_state::need_more) {
        send(sysclient::encode_recv(session, receive_chunk));
        return;
      }
      if (st == http::parse_state::error)
        return finish(
          session, net::http_reply::text(502, "bad HTTP response from the device: " + c->parser.error() + "\n"), true);
      break; // complete
    }
    case sysclient::tunnel_event::shutdown: {
      // The device ended the connection: a response delimited by close may be complete now.
      if (c->parser.finish() != http::parse_state::complete)
        return finish(session, net::http_reply::text(502, "device closed the tunnel before a complete response\n"),
                      false);
      break;
    }
    default: return; // send/recv are Devices → device only
  }
  auto res = c->parser.take();
  net::http_reply reply;
  reply.status = res.status;
  reply.content_type = std::string(res.headers.get("Content-Type").value_or("application/octet-stream"));
  // Passed on as the device sent them, but for those of its own connection [inf: a tunnel].
  auto connection = std::string(res.headers.get("Connection").value_or(""));
  for (auto& [k, v] : res.headers.items)
    if (!net::is_hop_by_hop(k, connection) && !http::iequals(k, "Content-Type")) reply.headers.emplace_back(k, v);
  reply.body = std::move(res.body);
  finish(session, std::move(reply), static_cast<sysclient::tunnel_event>(event) != sysclient::tunnel_event::shutdown);
}

} // namespace mpk::sim
