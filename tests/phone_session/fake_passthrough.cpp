#include "tests/phone_session/fake_passthrough.hpp"

#include "tests/phone_session/test_catalog.hpp"

#include <stdexcept>

namespace mpk::test {

namespace {
constexpr std::string_view prefix = "/example.com/devices/passthrough/";
}

fake_passthrough::fake_passthrough(net::io_runtime& rt) {
  std::string err;
  net::server_routes routes;
  routes.http = [s = s_](const net::http_request_info& req, net::http_responder respond) {
    s->serve(req, std::move(respond));
  };
  server_ = net::server::start(rt, net::server_options{}, routes, err);
  if (!server_) throw std::runtime_error("fake passthrough: " + err);
}

fake_passthrough::~fake_passthrough() {
  if (server_) server_->stop();
}

void fake_passthrough::add_phone(const std::string& hw_id, const std::string& product, const std::string& number,
                                 std::shared_ptr<const models::wire_spec> dialect) {
  sim_phone::phone_identity id{hw_id, product, "13r2 sr1 [13.4250/131286/1300]", "Phone " + hw_id, "10.0.0.12", number};
  std::string err;
  auto web = sim_phone::phone_web::create(catalog(), id, err, std::move(dialect));
  if (!web) throw std::runtime_error("fake phone: " + err);
  web->ui().set_clock([] { return std::int64_t{1751371200}; });
  std::lock_guard<std::mutex> lock(s_->mu);
  s_->phones.emplace(hw_id, phone{std::move(*web), true});
}

phone_target fake_passthrough::target(const std::string& device, const std::string& hw_id) const {
  std::lock_guard<std::mutex> lock(s_->mu);
  const auto& p = s_->phones.at(hw_id);
  phone_target t;
  t.device = device;
  t.tenant = "tenant1";
  t.hw_id = hw_id;
  t.product = p.web.identity().product;
  t.version = p.web.identity().version;
  t.type = "PHONE";
  t.name = p.web.identity().name;
  t.ip = p.web.identity().ip;
  t.domain_name = "example.com";
  t.base_url =
    "http://127.0.0.1:" + std::to_string(server_->port()) + std::string(prefix) + hw_id + "/" + s_->key + "/";
  t.online = true;
  t.link_up = true;
  t.epoch = s_->keys;
  return t;
}

void fake_passthrough::set_online(const std::string& hw_id, bool online) {
  std::lock_guard<std::mutex> lock(s_->mu);
  s_->phones.at(hw_id).online = online;
}

std::string fake_passthrough::rotate_key() {
  std::lock_guard<std::mutex> lock(s_->mu);
  s_->key = "key-" + std::to_string(++s_->keys);
  return s_->key;
}

std::string fake_passthrough::key() const {
  std::lock_guard<std::mutex> lock(s_->mu);
  return s_->key;
}

std::uint64_t fake_passthrough::lcd_dumps(const std::string& hw_id) {
  return with_phone(hw_id, [](sim_phone::phone_web& w) { return w.counters().lcd_dumps; });
}

std::uint64_t fake_passthrough::requests(const std::string& hw_id) {
  return with_phone(hw_id, [](sim_phone::phone_web& w) { return w.counters().requests; });
}

std::uint64_t fake_passthrough::refused() const {
  std::lock_guard<std::mutex> lock(s_->mu);
  return s_->refused;
}

std::string fake_passthrough::base() const {
  return "http://127.0.0.1:" + std::to_string(server_->port()) + std::string(prefix);
}

void fake_passthrough::state::serve(const net::http_request_info& req, net::http_responder respond) {
  std::string_view t = req.target;
  if (t.substr(0, prefix.size()) != prefix) return respond(net::http_reply::text(404, "not a passthrough URL\n"));
  t.remove_prefix(prefix.size());
  auto slash = t.find('/');
  auto slash2 = slash == std::string_view::npos ? slash : t.find('/', slash + 1);
  if (slash2 == std::string_view::npos) return respond(net::http_reply::text(404, "bad passthrough URL\n"));
  std::string hw(t.substr(0, slash));
  std::string given(t.substr(slash + 1, slash2 - slash - 1));
  std::string path(t.substr(slash2));
  net::http_reply reply;
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = phones.find(hw);
    if (given != key) {
      ++refused;
      reply = net::http_reply::text(403, "invalid or expired session key\n");
    } else if (it == phones.end()) {
      ++refused;
      reply = net::http_reply::text(404, "unknown device\n");
    } else if (!it->second.online) {
      ++refused;
      reply = net::http_reply::text(503, "device offline\n");
    } else {
      auto res = it->second.web.handle(sim_phone::web_request{req.method, path, req.body});
      reply.status = res.status;
      reply.content_type = res.content_type;
      reply.body = std::move(res.body);
    }
  }
  respond(std::move(reply));
}

} // namespace mpk::test
