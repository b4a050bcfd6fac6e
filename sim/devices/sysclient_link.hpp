#pragma once
/// The Devices side of one sysclient websocket (docs/spec/devices-api.md §5): identify/challenge/digest,
/// password messages, and the HTTP tunnel that carries passthrough requests to the device.

#include "common/http/parser.hpp"
#include "common/net/connection.hpp"
#include "common/net/server.hpp"
#include "common/net/timer.hpp"
#include "sim/devices/instance.hpp"

#include <simdjson.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>

namespace mpk::sim {

class sysclient_link final : public net::connection_handler, public std::enable_shared_from_this<sysclient_link> {
public:
  explicit sysclient_link(std::shared_ptr<devices_instance> inst);
  ~sysclient_link() override;

  void on_open(const net::connection_ptr& conn) override;
  void on_message(std::string data, bool binary) override;
  void on_close(std::string reason) override;

  /// 0x0001: the device was put into a domain while connected; it must store the password.
  void send_password(const std::string& password);
  /// 0x0003: the domain's administrative password, RC4-wrapped with the sysclient password.
  void send_admin_password(const std::string& seed, const std::string& pwd_hex);
  /// Carries one HTTP request to the device's web server and answers `respond` with its response,
  /// or 502 (link lost, bad response) / 504 (no complete response within `timeout`).
  void tunnel(std::string request_bytes, bool head, std::chrono::milliseconds timeout, net::http_responder respond);
  /// Closes the websocket (restart, device removed, a newer connection of the same device).
  void drop(int code, std::string reason);

  /// The hwId from identify (set before the link is registered as online; constant afterwards).
  const std::string& hw_id() const { return hw_id_; }
  std::size_t open_tunnels() const;

private:
  enum class stage { fresh, challenged, online };

  /// One tunnelled HTTP exchange (docs/spec/devices-api.md §5.4): send → send-result → receive… → shutdown.
  struct call {
    net::http_responder respond;
    std::string unsent; ///< request bytes still to go, one socket-send piece per send-result
    http::response_parser parser;
    std::shared_ptr<net::scheduled> timer;
    int empty_reads = 0;
  };

  void on_admin(std::uint16_t type, const std::string& json);
  void on_identify(const std::string& json);
  void on_tunnel(std::uint32_t session, std::uint32_t event, const std::string& data);
  /// Removes the call and answers it (outside the lock); sends our shutdown if `shutdown`.
  void finish(std::uint32_t session, net::http_reply reply, bool shutdown);
  void send(std::string frame);

  std::shared_ptr<devices_instance> inst_;
  std::shared_ptr<std::atomic<int>> alive_; ///< the instance's count of live handlers
  /// Weak: the connection owns this handler (see service_session).
  std::weak_ptr<net::connection> conn_;
  std::uint64_t conn_id_ = 0;
  std::string remote_;
  simdjson::dom::parser json_;
  stage stage_ = stage::fresh;
  std::string hw_id_, challenge_;
  bool closed_ = false;

  mutable std::mutex mu_; ///< guards calls_ and next_session_ (tunnel() comes from HTTP threads)
  std::map<std::uint32_t, std::shared_ptr<call>> calls_;
  std::uint32_t next_session_ = 1;
  bool link_lost_ = false;
};

} // namespace mpk::sim
