#pragma once
// A devices-api service session held open by a test, the way the registry holds one: AppChallenge,
// AppLogin with a digest from the password, GetUserInfo for the passthrough key. The key is valid
// only while this websocket stays open (docs/spec/devices-api.md §3).

#include "common/net/connection.hpp"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace mpk::net {
class io_runtime;
}

namespace mpk::test {

class devices_login : public net::connection_handler, public std::enable_shared_from_this<devices_login> {
public:
  /// Connects to `ws_url`, logs in to `domain` with `password` and reads the key; nullptr and
  /// `err` when any step fails.
  static std::shared_ptr<devices_login> open(net::io_runtime& rt, const std::string& ws_url, const std::string& domain,
                                             const std::string& password, std::string& err);

  const std::string& key() const { return key_; }
  void close();

  void on_open(const net::connection_ptr& conn) override;
  void on_message(std::string data, bool binary) override;
  void on_close(std::string reason) override;

private:
  /// The next text frame with this mt within `timeout`.
  std::optional<std::string> next(const std::string& mt, std::chrono::milliseconds timeout);
  bool wait_open(std::chrono::milliseconds timeout);
  void send(std::string text);

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> inbox_;
  net::connection_ptr conn_;
  bool opened_ = false, closed_ = false;
  std::string reason_;
  std::string key_;
};

} // namespace mpk::test
