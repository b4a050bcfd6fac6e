#include "sim/devices/instance.hpp"

// The passthrough tunnel (docs/spec/devices-api.md §3, §5.4): an HTTP request to
// <path>/passthrough/<hwId>/<key>/<device path> goes to the device over its sysclient link.

#include "common/http/serializer.hpp"
#include "common/net/http_proxy.hpp"
#include "common/net/timer.hpp"
#include "sim/devices/sysclient_link.hpp"

namespace mpk::sim {

void devices_instance::passthrough(const net::http_request_info& req, std::string_view rest,
                                   net::http_responder respond) {
  passthroughs_++;
  auto slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) {
    respond(net::http_reply::text(404, "bad passthrough URL: expected passthrough/<hwId>/<key>/<path>\n"));
    return;
  }
  std::string hw(rest.substr(0, slash));
  rest.remove_prefix(slash + 1);
  auto end = rest.find_first_of("/?");
  std::string key(rest.substr(0, end));
  std::string device_path = end == std::string_view::npos ? "/" : std::string(rest.substr(end));
  if (device_path.front() == '?') device_path.insert(0, "/");

  std::shared_ptr<sysclient_link> link;
  std::string host;
  {
    std::lock_guard lock(mu_);
    auto s = by_key_.find(key);
    if (s == by_key_.end()) {
      respond(net::http_reply::text(403, "invalid or expired session key\n"));
      return;
    }
    auto it = by_hw_.find(hw);
    if (it == by_hw_.end()) {
      respond(net::http_reply::text(404, "unknown device\n"));
      return;
    }
    const auto& d = devices_.at(it->second);
    if (!s->second->sees(d.domain_id)) {
      respond(net::http_reply::text(403, "device not accessible with this session key\n"));
      return;
    }
    link = link_of_locked(hw);
    if (!link) {
      respond(net::http_reply::text(
        503, d.online && !d.live ? "device offline (no live sysclient in this simulation)\n" : "device offline\n"));
      return;
    }
    host = d.eth_ifs.empty() || d.eth_ifs.front().ipv4.empty() ? d.hw_id : d.eth_ifs.front().ipv4;
  }
  if (pt_broken_) {
    respond(net::http_reply::text(502, "passthrough broken (simulated fault)\n"));
    return;
  }
  // The request as the device's web server sees it (docs/spec/devices-api.md §5.4): method, path, body, the
  // client's end-to-end fields [inf: a tunnel passes them], Host naming the device.
  http::request out;
  out.method = req.method;
  out.target = device_path;
  auto connection = req.header("Connection");
  for (auto& [k, v] : req.headers)
    if (!net::is_hop_by_hop(k, connection) && !http::iequals(k, "Host")) out.headers.items.emplace_back(k, v);
  out.headers.set("Host", host);
  out.body = req.body;
  bool head = req.method == "HEAD";
  auto timeout = opts_.passthrough_timeout;
  auto go = [link, bytes = http::serialize(out), head, timeout, respond = std::move(respond)]() mutable {
    link->tunnel(std::move(bytes), head, timeout, std::move(respond));
  };
  auto delay = std::chrono::milliseconds(pt_delay_ms_.load());
  if (delay.count() > 0)
    net::run_after(rt_, delay, std::move(go));
  else
    go();
}

// -- faults ----------------------------------------------------------------------------------

void devices_instance::set_passthrough_fault(std::chrono::milliseconds delay, bool broken) {
  pt_delay_ms_ = delay.count();
  pt_broken_ = broken;
}

} // namespace mpk::sim
