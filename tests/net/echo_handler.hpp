#pragma once
// The server side of the TLS tests: every frame comes back as it came.

#include "common/net/connection.hpp"

#include <memory>
#include <string>

namespace mpk::test {

class echo_handler : public net::connection_handler {
public:
  void on_open(const net::connection_ptr& c) override { conn_ = c; }
  void on_message(std::string data, bool binary) override {
    auto c = conn_.lock();
    if (!c) return;
    if (binary)
      c->send_binary(std::move(data));
    else
      c->send_text(std::move(data));
  }
  void on_close(std::string) override { conn_.reset(); }

private:
  /// Weak: the connection owns this handler (no cycle when the Asio threads stop before the close).
  std::weak_ptr<net::connection> conn_;
};

} // namespace mpk::test
