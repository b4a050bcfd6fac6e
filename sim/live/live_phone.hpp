#pragma once
/// A simulated phone that is a real sysclient (docs/spec/devices-api.md §5): it connects over its own
/// websocket to `/<domain>/<instance>/sysclients`, identifies, answers the challenge, keeps the
/// passwords it is given, and serves tunnelled HTTP sessions with its own web server
/// (sim_phone::phone_web). It reconnects with backoff whenever the link drops.

#include "common/net/connection.hpp"
#include "common/net/timer.hpp"
#include "sim/live/phone_fault.hpp"
#include "sim/phone/phone_web.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace mpk::net {
class io_runtime;
}

namespace mpk::sim {

struct live_phone_options {
  std::string url;                            ///< ws://host:port/<domain>/<instance>/sysclients
  net::tls_client_options tls;                ///< what a wss url is verified with
  std::chrono::milliseconds backoff_min{200}; ///< first reconnect delay, doubled up to backoff_max
  std::chrono::milliseconds backoff_max{3000};
  std::chrono::milliseconds reboot_offline{1500}; ///< how long a rebooting phone stays away
  /// Bytes per receive result: GOSYS answers with ≤ 8000, so do we. (It was 4000 while the
  /// websockets had Nagle on: a masked client frame beyond Beast's 4 KiB write buffer went out in
  /// two TCP writes and stalled ~40 ms on Nagle + delayed ACK. Both ends set TCP_NODELAY now;
  /// 8000 halves the tunnel round trips per dump: the simulator's CPU for 100 changing phones
  /// fell from 0.32 to 0.22 core.)
  std::uint32_t max_result_bytes = 8000;
};

class live_phone : public std::enable_shared_from_this<live_phone> {
public:
  /// `sysclient_password` is what the phone stored earlier (empty for a phone never put in a domain).
  live_phone(net::io_runtime& rt, sim_phone::phone_web web, std::string sysclient_password, live_phone_options opts,
             std::string provisioning_code = {});
  ~live_phone();

  /// Connects and keeps reconnecting until stop().
  void start();
  /// Disconnects for good.
  void stop();
  /// false: unplug (disconnect, stay away); true: plug in again.
  void set_online(bool online);
  /// How the phone's web server answers tunnelled requests from now on.
  void set_fault(phone_fault f);
  phone_fault fault() const;

  const std::string& hw_id() const { return hw_id_; }
  bool connected() const; ///< websocket open and identify sent
  bool enabled() const;
  std::uint64_t connects() const;
  std::string sysclient_password() const;
  std::string admin_password() const; ///< the last 0x0003 password, decrypted

  /// Runs `fn` with the phone's web server under the phone's lock (counters, UI, registrations).
  template <class F>
  auto with_phone(F&& fn) {
    std::lock_guard lock(mu_);
    return fn(web_);
  }
  /// The counters as JSON for the control interface.
  std::string counters_json() const;
  /// Websocket handlers of this phone still alive (connecting, open or closing).
  int open_links() const { return links_alive_->load(); }

private:
  class link;
  friend class link;

  /// One tunnelled HTTP connection to the phone's web server.
  struct tunnel_session {
    std::string in;  ///< request bytes not parsed yet
    std::string out; ///< serialized response
    std::size_t sent = 0;
    bool answered = false;     ///< the response is in `out`
    std::uint32_t waiting = 0; ///< a receive that came before the response: its length + 1
  };

  void connect_locked();
  void schedule_reconnect_locked(std::chrono::milliseconds delay);
  void on_open(std::uint64_t gen, const net::connection_ptr& conn);
  void on_frame(std::uint64_t gen, const std::string& data);
  void on_closed(std::uint64_t gen, const std::string& reason);
  void send_identify_locked(const std::string& challenge);
  void on_tunnel_locked(std::uint32_t session, std::uint32_t event, const std::string& data);
  void answer_receive_locked(std::uint32_t session, tunnel_session& t, std::uint32_t length);
  void reboot_locked();

  net::io_runtime& rt_;
  const std::string hw_id_;
  live_phone_options opts_;

  mutable std::mutex mu_;
  sim_phone::phone_web web_;
  std::string sysclient_password_, admin_password_, provisioning_code_;
  net::connection_ptr conn_;
  std::uint64_t gen_ = 0; ///< connection generation: callbacks of older links are ignored
  bool enabled_ = true, stopped_ = false, started_ = false, connecting_ = false;
  phone_fault fault_ = phone_fault::none;
  std::uint64_t garbage_state_ = 0x9e3779b97f4a7c15ull; ///< xorshift state of the garbage bodies
  std::chrono::milliseconds backoff_{0};
  std::shared_ptr<net::scheduled> retry_;
  std::map<std::uint32_t, tunnel_session> sessions_;
  std::uint64_t connects_ = 0;
  std::shared_ptr<std::atomic<int>> links_alive_ = std::make_shared<std::atomic<int>>(0);
};

/// The firmware file names a phone reports in identify (`fw`, `bc`), e.g. IP222 → ip222.bin, boot222.bin.
std::string firmware_file(const std::string& product);
std::string boot_file(const std::string& product);

} // namespace mpk::sim
