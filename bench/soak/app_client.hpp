#pragma once
/// One browser of the soak: a real websocket to the gateway (common/net), the password login of
/// the app protocol (docs/app-protocol.md §1.1) and every request tracked until its answer. A
/// request that gets no answer within the deadline counts as unanswered; an answer with an error
/// code the protocol does not document, or with the actor system's words in it, counts too.
/// Runs on the soak's one network thread: no locks inside, the counters are atomics.

#include "bench/soak/soak_counters.hpp"
#include "common/net/client.hpp"
#include "common/net/io_runtime.hpp"

#include <simdjson.h>

#include <chrono>
#include <functional>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace mpk::soak {

/// Who a browser is: the URL path it connects to and the password login it makes there.
struct login_as {
  std::string path; ///< /<domain>/<instance>
  std::string name; ///< the operator's name, or any name with a tenant's App object password
  std::string password;
};

/// What every client shares: where the gateway is, the codes the protocol documents, the counters.
struct client_env {
  net::io_runtime* io = nullptr;
  unsigned short port = 0;
  std::set<std::string> documented_codes;
  std::chrono::milliseconds deadline{15000};
  soak_counters* counters = nullptr;
};

class app_client : public net::connection_handler, public std::enable_shared_from_this<app_client> {
public:
  app_client(const client_env& env, login_as who, std::string name, unsigned seed);
  /// Connects (again, after each close, as reconnect_delay() says) until stop().
  void start();
  void stop();

  void on_open(const net::connection_ptr& conn) final;
  void on_message(std::string data, bool binary) final;
  void on_close(std::string reason) final;

protected:
  virtual void logged_in() = 0;
  /// Every text frame after the login, answers included (`src` as sent, "" when none).
  virtual void text(const simdjson::dom::object& msg, std::string_view mt, std::string_view src) = 0;
  virtual void binary(const std::string& /*frame*/) {}
  /// The connection ended; how long to stay away before the next one.
  virtual std::chrono::milliseconds reconnect_delay() = 0;

  /// Sends `{"mt":<mt>,"src":<new src>,<members>}` and tracks its answer; returns the src.
  std::string request(const std::string& mt, const std::string& members = {});
  /// Sends a frame that has no answer (FrameAck).
  void send(std::string frame);
  /// Runs `fn` after `d` on the network thread, unless this connection ended meanwhile.
  void later(std::chrono::milliseconds d, std::function<void()> fn);
  /// Closes the connection on purpose (no finding); the next one follows reconnect_delay().
  void leave();
  bool logged_in_now() const { return logged_in_; }
  std::chrono::milliseconds between(int lo_ms, int hi_ms);

  const client_env& env_;
  soak_counters& counters_;
  std::string name_;
  std::mt19937 rng_;

private:
  void connect();
  void answer(const simdjson::dom::object& msg, std::string_view mt, std::string_view src);
  void send_login(std::string_view challenge);

  login_as who_;
  net::connection_ptr conn_;
  simdjson::dom::parser parser_;
  std::uint64_t next_src_ = 0, generation_ = 0;
  struct open_request {
    std::string mt;
    std::chrono::steady_clock::time_point sent;
  };
  std::unordered_map<std::string, open_request> open_;
  std::unordered_set<std::string> expired_;
  bool logged_in_ = false, leaving_ = false, stopped_ = false;
};

} // namespace mpk::soak
