#pragma once
// Devices App + model catalog + live sysclient phones on 127.0.0.1, plus blocking HTTP helpers.

#include "common/models/catalog.hpp"
#include "common/net/http_client.hpp"
#include "sim/live/phone_fleet.hpp"
#include "tests/sim/devices_fixture.hpp"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mpk::test {

/// The model catalog of the repository (MPK_MODELS_DIR).
const models::catalog& test_catalog();
/// Every supported product with its family, in catalog order.
std::vector<sim::product_choice> catalog_products();

struct live_fixture : devices_fixture {
  sim::phone_fleet fleet{rt};

  /// Starts the population's live phones and waits until all are online in the Devices App.
  explicit live_fixture(const sim::population_options& po, sim::instance_options io = {});
  ~live_fixture();

  bool all_online(std::chrono::milliseconds timeout = 10s) const;
};

/// Polls `cond` every 20 ms until true or timeout.
bool eventually(const std::function<bool()>& cond, std::chrono::milliseconds timeout = 10s);

/// Blocking HTTP GET (or other method) with the product's HTTP client.
net::http_fetch_result http_get(net::io_runtime& rt, const std::string& url, const std::string& method = "GET",
                                const std::string& body = {});

/// Width, height and bit depth from a BMP header; nullopt when it is not a BMP.
struct bmp_info {
  int width = 0, height = 0, bpp = 0;
};
std::optional<bmp_info> read_bmp_header(const std::string& bytes);

/// Logs in as admin on instance k, reads GetUserInfo and all devices; returns the session and
/// the `uri` of each device by hwId.
struct admin_view {
  std::shared_ptr<ws_client> ws;
  std::string key;
  std::map<std::string, std::string> uri_by_hw;
};
admin_view admin_login_and_list(devices_fixture& fx, std::size_t k = 0);

} // namespace mpk::test
