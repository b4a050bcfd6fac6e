#pragma once
/// The simulated innovaphone PBX of one tenant: it connects to the product's App service as a real
/// PBX does (websocket client, AppLogin with the App object password, PbxInfo, Services api) and
/// issues the user logins myApps would get (AppGetLoginResult), for the simulated myApps shell.

#include "sim/pbx/pbx_config.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace mpk::net {
class io_runtime;
class connection;
class scheduled;
} // namespace mpk::net

namespace mpk::sim {

class pbx_sim : public std::enable_shared_from_this<pbx_sim> {
public:
  /// Create with std::make_shared (the link keeps weak references to it).
  pbx_sim(net::io_runtime& rt, pbx_config cfg);
  ~pbx_sim();
  pbx_sim(const pbx_sim&) = delete;
  pbx_sim& operator=(const pbx_sim&) = delete;

  /// Connects to product_url and keeps the link up (reconnect with backoff 0.5 s doubling to 8 s,
  /// reset after a successful login). Idempotent.
  void start();
  /// Closes the link for good (until the next start()).
  void stop();
  /// Closes the websocket now; the link reconnects by itself after its backoff.
  void drop_link();

  /// "connecting", "logged-in" or "down (reason)", e.g. "down (login refused)", "down (stopped)".
  std::string state() const;

  /// AppGetLoginResult JSON for a user as myApps gets it from the PBX (docs/spec/appwebsocket.md §5.2 step 3):
  /// {mt:"AppGetLoginResult", domain, sip, guid, dn, pbxObj, app, info:{appobj,appdn,appurl,pbx,cn,
  /// unlicensed?,testmode?,groups:[],apps:[]}, digest, salt, key}; or {mt:..., error, errorText}.
  std::string app_get_login(std::string_view user_sip, std::string_view app, std::string_view challenge) const;

  const pbx_config& config() const { return cfg_; }

  struct counters {
    int logins = 0;         ///< successful AppLogins of the link
    int reconnects = 0;     ///< connection attempts after the first one
    int service_logins = 0; ///< GetServiceLogin requests answered with a login
  };
  counters stats() const;

private:
  class link;
  friend class link;

  void connect_now();
  bool on_link_open(std::uint64_t generation, const std::shared_ptr<net::connection>& conn);
  void on_logged_in(std::uint64_t generation);
  void on_service_login();
  void on_link_closed(std::uint64_t generation, const std::string& reason);

  net::io_runtime& rt_;
  const pbx_config cfg_;
  const std::string who_; ///< log prefix

  mutable std::mutex mutex_;
  bool running_ = false;
  bool connected_once_ = false;
  std::uint64_t generation_ = 0; ///< bumps per connection attempt: stale callbacks are ignored
  std::shared_ptr<net::connection> conn_;
  std::shared_ptr<net::scheduled> retry_;
  std::chrono::milliseconds backoff_;
  std::string state_ = "down (not started)";
  std::string drop_reason_; ///< reason to report when the current link closes (drop_link)
  counters stats_;
};

} // namespace mpk::sim
