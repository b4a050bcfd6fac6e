#pragma once
// A blocking websocket client for tests: connect, send, wait for the next frame with a deadline.

#include "common/net/client.hpp"
#include "common/net/io_runtime.hpp"

#include <simdjson.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mpk::test {

using namespace std::chrono_literals;

struct frame {
  std::string data;
  bool binary = false;
};

class ws_client : public net::connection_handler, public std::enable_shared_from_this<ws_client> {
public:
  /// Connects and waits for the handshake; nullptr (and `error`) if it failed.
  static std::shared_ptr<ws_client> open(net::io_runtime& rt, const std::string& url, std::string* error = nullptr,
                                         std::size_t max_message = 1 << 20, net::tls_client_options tls = {});

  void on_open(const net::connection_ptr& conn) override;
  void on_message(std::string data, bool binary) override;
  void on_close(std::string reason) override;

  void send_text(std::string s);
  void send_binary(std::string s);
  void close();

  /// The next frame within `timeout`, nullopt if none came (or the socket closed with nothing queued).
  std::optional<frame> next(std::chrono::milliseconds timeout = 5s);
  /// The next text frame whose "mt" equals `mt`; frames before it are dropped.
  std::optional<std::string> next_mt(std::string_view mt, std::chrono::milliseconds timeout = 5s);
  bool wait_closed(std::chrono::milliseconds timeout = 5s);
  bool closed() const;
  std::string close_reason() const;

private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<frame> inbox_;
  std::weak_ptr<net::connection> conn_; ///< weak: the connection owns this handler
  bool opened_ = false, closed_ = false;
  std::string reason_;
};

/// A simdjson DOM parse that keeps its own document (copy per call, tests only).
struct json_doc {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  bool ok = false;
  explicit json_doc(std::string_view text);
  std::string str(std::string_view key) const;
  std::optional<bool> boolean(std::string_view key) const;
  std::optional<std::int64_t> integer(std::string_view key) const;
};

/// AppChallenge → AppLogin with a digest from `password` (docs/spec/appwebsocket.md §2.3); returns the
/// AppLoginResult frame text (empty when nothing came).
std::string app_login(ws_client& ws, const std::string& app, const std::string& domain, const std::string& sip,
                      const std::string& password, const std::optional<std::string>& info = std::nullopt);

} // namespace mpk::test
