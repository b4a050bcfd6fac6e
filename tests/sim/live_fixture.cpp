#include "tests/sim/live_fixture.hpp"
#include "tests/support/fetch_and_wait.hpp"

#include <future>
#include <stdexcept>
#include <thread>

namespace mpk::test {

const models::catalog& test_catalog() {
  static const models::catalog cat = [] {
    std::string err;
    auto c = models::catalog::load(MPK_MODELS_DIR, err);
    if (!c) throw std::runtime_error("model catalog: " + err);
    return std::move(*c);
  }();
  return cat;
}

std::vector<sim::product_choice> catalog_products() {
  std::vector<sim::product_choice> out;
  for (auto& p : test_catalog().products()) out.push_back({p, test_catalog().get(p)->family});
  return out;
}

live_fixture::live_fixture(const sim::population_options& po, sim::instance_options io) : devices_fixture(po, io) {
  for (auto& s : pop.live) {
    sim_phone::phone_identity id{s.hw_id, s.product, s.version, s.name, s.ipv4, s.number};
    sim::live_phone_options lo;
    lo.url = sysclient_url(s.instance);
    lo.reboot_offline = std::chrono::milliseconds(300);
    std::string err;
    if (!fleet.add(test_catalog(), id, s.sysclient_password, lo, s.registrations, err))
      throw std::runtime_error("live phone " + s.hw_id + ": " + err);
  }
  fleet.start_all();
}

live_fixture::~live_fixture() { fleet.stop_all(); }

bool live_fixture::all_online(std::chrono::milliseconds timeout) const {
  return eventually(
    [&] {
      for (auto& s : pop.live) {
        auto d = app.instances().at(s.instance)->device_by_hw(s.hw_id);
        if (!d || !d->online) return false;
      }
      return true;
    },
    timeout);
}

bool eventually(const std::function<bool()>& cond, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return cond();
}

net::http_fetch_result http_get(net::io_runtime& rt, const std::string& url, const std::string& method,
                                const std::string& body) {
  net::http_fetch_request req;
  req.max_body_bytes = large_body_bytes;
  req.method = method;
  req.url = url;
  req.body = body;
  req.timeout = std::chrono::milliseconds(15000);
  return fetch_and_wait(rt, req);
}

std::optional<bmp_info> read_bmp_header(const std::string& b) {
  if (b.size() < 54 || b[0] != 'B' || b[1] != 'M') return std::nullopt;
  auto u32 = [&](std::size_t o) {
    return std::uint32_t(std::uint8_t(b[o])) | std::uint32_t(std::uint8_t(b[o + 1])) << 8 |
           std::uint32_t(std::uint8_t(b[o + 2])) << 16 | std::uint32_t(std::uint8_t(b[o + 3])) << 24;
  };
  bmp_info i;
  i.width = static_cast<int>(u32(18));
  auto h = static_cast<std::int32_t>(u32(22));
  i.height = h < 0 ? -h : h;
  i.bpp = std::uint8_t(b[28]) | std::uint8_t(b[29]) << 8;
  return i;
}

admin_view admin_login_and_list(devices_fixture& fx, std::size_t k) {
  admin_view v;
  v.ws = ws_client::open(fx.rt, fx.service_url(k));
  if (!v.ws) throw std::runtime_error("cannot open service websocket");
  auto res = app_login(*v.ws, "devices-api", fx.inst(k)->domain(), "myphonekeys", fx.inst(k)->password());
  if (json_doc(res).boolean("ok") != std::optional<bool>(true)) throw std::runtime_error("admin login failed");
  v.ws->send_text(R"({"mt":"GetUserInfo","src":"ui"})");
  auto ui = v.ws->next_mt("GetUserInfoResult");
  if (!ui) throw std::runtime_error("no GetUserInfoResult");
  v.key = json_doc(*ui).str("key");
  v.ws->send_text(R"({"mt":"GetDevices","recvUpdates":true,"src":"all"})");
  for (;;) {
    auto f = v.ws->next_mt("GetDevicesResult", 20s);
    if (!f) throw std::runtime_error("no GetDevicesResult");
    json_doc d(*f);
    simdjson::dom::array arr;
    if (d.root["devices"].get_array().get(arr) == simdjson::SUCCESS)
      for (auto el : arr) {
        std::string_view hw, uri;
        if (el["hwId"].get_string().get(hw) == simdjson::SUCCESS &&
            el["uri"].get_string().get(uri) == simdjson::SUCCESS)
          v.uri_by_hw[std::string(hw)] = std::string(uri);
      }
    if (d.boolean("last") != std::optional<bool>(false)) break;
  }
  return v;
}

} // namespace mpk::test
