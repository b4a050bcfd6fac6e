#pragma once
/// One connection of the simulated PBX to the product, as protocol logic only (docs/spec/appwebsocket.md
/// §3, §4): AppChallenge → AppLogin → PbxInfo/AppInfo, then the Services api and KeepAlive.
/// No sockets here: the caller feeds received frames and sends what comes back.

#include "common/json/envelope.hpp"
#include "sim/pbx/pbx_config.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace mpk::sim {

class pbx_session {
public:
  /// What one received frame led to.
  struct output {
    enum class event { none, logged_in, login_refused, service_login };
    std::vector<std::string> frames; ///< to send, in order
    event ev = event::none;
    bool close = false;       ///< close the connection after sending `frames`
    std::string close_reason; ///< why, in plain words (when `close`)
  };

  /// `cfg` must outlive the session.
  explicit pbx_session(const pbx_config& cfg);

  /// The first frame after the websocket opened.
  std::string opening_frame() const { return R"({"mt":"AppChallenge"})"; }

  /// Handles one text frame from the product.
  output on_frame(std::string_view text);

  bool logged_in() const { return logged_in_; }
  bool subscribed() const { return subscribed_; }

private:
  void on_services(const json::envelope& req, output& out);

  const pbx_config& cfg_;
  json::envelope_parser parser_;
  std::string link_session_key_; ///< session_key(challenge of this link, app_password)
  bool challenged_ = false;
  bool logged_in_ = false;
  bool subscribed_ = false;
};

} // namespace mpk::sim
