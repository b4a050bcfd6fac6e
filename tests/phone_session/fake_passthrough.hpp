#pragma once
// A small Devices-App passthrough for the phone-session tests, built on common/net/server.hpp:
//   /<domain>/devices/passthrough/<hwId>/<key>/<phone path>
// answered by simulated phones (sim/phone's web server: LCD dump, keys, text, registrations,
// commands) with the Devices App's refusals: 403 for a wrong key, 404 for an unknown phone,
// 503 for an unplugged one. The key can be rotated, as a devices-api reconnect does.

#include "common/actors/messages.hpp"
#include "common/net/server.hpp"
#include "sim/phone/phone_web.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace mpk::test {

class fake_passthrough {
public:
  explicit fake_passthrough(net::io_runtime& rt);
  ~fake_passthrough();

  /// Adds a phone of `product`; its screen clock is frozen so an idle screen never changes. It
  /// speaks `dialect` (nullptr: the first candidates of its model's data).
  void add_phone(const std::string& hw_id, const std::string& product, const std::string& number = "101",
                 std::shared_ptr<const models::wire_spec> dialect = nullptr);
  /// The registry's view of a phone: device id, product, base URL with the current key.
  phone_target target(const std::string& device, const std::string& hw_id) const;

  void set_online(const std::string& hw_id, bool online);
  /// A new passthrough key; the old one is refused with 403 from now on.
  std::string rotate_key();
  std::string key() const;

  /// Runs `fn` on the phone's web server under the lock (UI, registrations, counters).
  template <class F>
  auto with_phone(const std::string& hw_id, F&& fn) {
    std::lock_guard<std::mutex> lock(s_->mu);
    return fn(s_->phones.at(hw_id).web);
  }
  std::uint64_t lcd_dumps(const std::string& hw_id);
  std::uint64_t requests(const std::string& hw_id); ///< every request that reached the phone
  std::uint64_t refused() const;                    ///< 403/404/503 answers of the passthrough

  std::string base() const; ///< "http://127.0.0.1:<port>/example.com/devices/passthrough/"

private:
  struct phone {
    sim_phone::phone_web web;
    bool online = true;
  };
  /// Shared with the server's handler: a connection still open when the test ends may call
  /// it after this object is gone.
  struct state {
    std::mutex mu;
    std::map<std::string, phone> phones;
    std::string key = "key-1";
    std::uint64_t keys = 1;
    std::uint64_t refused = 0;
    void serve(const net::http_request_info& req, net::http_responder respond);
  };

  std::shared_ptr<state> s_ = std::make_shared<state>();
  std::shared_ptr<net::server> server_;
};

} // namespace mpk::test
