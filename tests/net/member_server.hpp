#pragma once
// A websocket server for tests of the sending side: the server ends of its connections are kept
// in join order, so that a test can send on them (net::connection) and read at the clients.

#include "common/net/io_runtime.hpp"
#include "common/net/server.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace mpk::test {

using namespace std::chrono_literals;

/// The server side of every test connection: registers itself, answers a drain notice with
/// "drained <bytes still queued>" (0 when the notice came as it should).
class member : public net::connection_handler {
public:
  explicit member(std::function<void(net::connection_ptr)> joined) : joined_(std::move(joined)) {}
  void on_open(const net::connection_ptr& c) override {
    conn_ = c;
    joined_(c);
  }
  void on_message(std::string, bool) override {}
  void on_close(std::string) override { conn_.reset(); }
  void on_drained() override {
    if (auto c = conn_.lock()) c->send_text("drained " + std::to_string(c->queued_bytes()));
  }

private:
  std::function<void(net::connection_ptr)> joined_;
  std::weak_ptr<net::connection> conn_; ///< weak: the connection owns this handler
};

/// A server whose accepted connections are kept in join order.
struct member_server {
  std::mutex m;
  std::condition_variable cv;
  std::vector<net::connection_ptr> members;
  std::shared_ptr<net::server> server;

  member_server(net::io_runtime& io, net::ws_limits limits) {
    net::server_options o;
    o.limits = limits;
    net::server_routes routes;
    routes.upgrade = [this](const net::http_request_info&) -> net::handler_ptr {
      return std::make_shared<member>([this](net::connection_ptr c) {
        std::lock_guard<std::mutex> g{m};
        members.push_back(std::move(c));
        cv.notify_all();
      });
    };
    routes.http = [](const net::http_request_info&, net::http_responder r) { r(net::http_reply::text(200, "ok")); };
    std::string err;
    server = net::server::start(io, o, routes, err);
    REQUIRE(server);
  }
  std::string url() const { return "ws://127.0.0.1:" + std::to_string(server->port()) + "/x"; }
  std::vector<net::connection_ptr> wait_members(std::size_t n) {
    std::unique_lock<std::mutex> l{m};
    cv.wait_for(l, 10s, [&] { return members.size() >= n; });
    return members;
  }
};

} // namespace mpk::test
