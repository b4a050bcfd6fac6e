#include "sim/live/direct_http.hpp"

#include "common/base/log.hpp"
#include "sim/live/phone_fleet.hpp"

namespace mpk::sim {

direct_access::direct_access(phone_fleet& fleet, std::string default_password)
    : fleet_(fleet), default_password_(std::move(default_password)) {}

std::shared_ptr<crypto::http_digest::server> direct_access::gate(const std::string& hw_id, const std::string& product,
                                                                 const std::string& password) {
  std::lock_guard lock(mu_);
  auto& g = gates_[hw_id];
  if (!g.second || g.first != password)
    g = {password, std::make_shared<crypto::http_digest::server>("innovaphone " + product, user, password)};
  return g.second;
}

std::optional<net::http_reply> direct_access::handle(const net::http_request_info& req) {
  std::string_view target = req.target;
  std::string_view pre = prefix;
  if (target.compare(0, pre.size(), pre) != 0) return std::nullopt;
  auto rest = target.substr(pre.size());
  auto slash = rest.find('/');
  std::string hw_id(rest.substr(0, slash));
  std::string path = slash == std::string_view::npos ? std::string("/") : std::string(rest.substr(slash));
  auto phone = fleet_.find(hw_id);
  if (!phone || !phone->enabled())
    return net::http_reply::text(404, "no live phone " + hw_id.substr(0, 32) + " here\n");

  std::string product;
  phone->with_phone([&](sim_phone::phone_web& w) { product = w.identity().product; });
  auto password = phone->admin_password();
  auto g = gate(hw_id, product, password.empty() ? default_password_ : password);
  auto verdict = g->check(req.method, path, req.header("Authorization"));
  if (verdict != crypto::http_digest::server::verdict::ok) {
    if (verdict != crypto::http_digest::server::verdict::missing)
      MPK_INFO("mpk-sim", "direct access to ", hw_id, " refused: ", crypto::http_digest::to_string(verdict));
    auto r = net::http_reply::text(401, "401 Unauthorized\n");
    r.headers.emplace_back("WWW-Authenticate",
                           g->challenge_header(verdict == crypto::http_digest::server::verdict::stale_nonce));
    return r;
  }
  auto res = phone->with_phone([&](sim_phone::phone_web& w) { return w.handle({req.method, path, req.body}); });
  net::http_reply out;
  out.status = res.status;
  out.content_type = res.content_type;
  out.body = std::move(res.body);
  return out;
}

} // namespace mpk::sim
