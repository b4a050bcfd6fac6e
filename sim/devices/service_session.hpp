#pragma once
/// One `com.innovaphone.devices` service websocket of a simulated Devices instance: the
/// AppChallenge/AppLogin handshake (docs/spec/appwebsocket.md §2), then the service API
/// (docs/spec/devices-api.md §2).

#include "common/json/envelope.hpp"
#include "common/net/connection.hpp"
#include "sim/devices/instance.hpp"

#include <atomic>
#include <memory>
#include <string>

namespace mpk::sim {

class service_session final : public net::connection_handler {
public:
  explicit service_session(std::shared_ptr<devices_instance> inst);
  ~service_session() override;

  void on_open(const net::connection_ptr& conn) override;
  void on_message(std::string data, bool binary) override;
  void on_close(std::string reason) override;

private:
  void handle_login_phase(const json::envelope& env);
  void handle_app_login(const json::envelope& env);
  void handle_request(const json::envelope& env);
  /// `{"mt":"<mt>Result"` + api/src echo, object left open.
  std::string reply_head(const json::envelope& env, std::string_view mt) const;
  void send(std::string frame);

  std::shared_ptr<devices_instance> inst_;
  std::shared_ptr<std::atomic<int>> alive_; ///< the instance's count of live handlers
  /// Weak: the connection owns this handler; a strong reference would keep both alive for ever
  /// when the Asio threads stop before the close completes.
  std::weak_ptr<net::connection> conn_;
  std::uint64_t conn_id_ = 0;
  std::string remote_;
  json::envelope_parser parser_;
  std::string challenge_;
  std::shared_ptr<devices_instance::session_state> state_; ///< set once logged in
  bool closed_ = false;
};

/// A login challenge the way innovaphone makes them: 16 decimal digits (docs/spec/appwebsocket.md §2.1).
std::string digit_challenge();

} // namespace mpk::sim
