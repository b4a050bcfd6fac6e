// net::fanout_channel: one hand-over to the network for many connections. Every connection gets its
// own head and the shared body once per call, in call order; a drain notice never overtakes a
// fan-out still on its way; a connection over its queue cap is closed and the others go on.

#include "common/net/fanout.hpp"
#include "common/net/io_runtime.hpp"
#include "common/net/server.hpp"
#include "tests/sim/ws_client.hpp"

#include <catch2/catch.hpp>

#include <condition_variable>
#include <future>
#include <mutex>
#include <set>

using namespace mpk;
using namespace std::chrono_literals;

namespace {

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
  std::weak_ptr<net::connection> conn_;  ///< weak: the connection owns this handler
};

/// A server whose accepted connections are kept in join order.
struct fanout_server {
  std::mutex m;
  std::condition_variable cv;
  std::vector<net::connection_ptr> members;
  std::shared_ptr<net::server> server;

  fanout_server(net::io_runtime& io, net::ws_limits limits) {
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

std::vector<net::fanout_target> targets_of(const std::vector<net::connection_ptr>& members) {
  std::vector<net::fanout_target> t;
  for (std::size_t i = 0; i < members.size(); ++i)
    t.push_back({members[i], std::make_shared<const std::string>("{\"to\":" + std::to_string(i) + ",")});
  return t;
}

} // namespace

TEST_CASE("net: a fan-out channel reaches every connection once per call, in order, over several slices") {
  net::io_runtime io{2};
  fanout_server s(io, {});
  const std::size_t n = 3 * net::fanout_slice + 5;  // more than one slice, and a partial last one
  std::vector<std::shared_ptr<test::ws_client>> clients;
  for (std::size_t i = 0; i < n; ++i) {
    std::string err;
    auto c = test::ws_client::open(io, s.url(), &err);
    REQUIRE(c);
    clients.push_back(c);
  }
  auto members = s.wait_members(n);
  REQUIRE(members.size() == n);

  // Two network threads: the messages still reach each connection in send order.
  auto channel = net::fanout_channel::make();
  for (int k = 1; k <= 3; ++k)
    channel->send(targets_of(members), std::make_shared<const std::string>("\"k\":" + std::to_string(k) + "}"));

  // Each client gets its own member's head on all three, in send order; every member is reached.
  std::set<std::string> heads;
  for (std::size_t i = 0; i < n; ++i) {
    INFO("client " << i);
    std::string head;
    for (int k = 1; k <= 3; ++k) {
      auto f = clients[i]->next(10s);
      REQUIRE(f);
      auto tail = ",\"k\":" + std::to_string(k) + "}";
      REQUIRE(f->data.size() > tail.size());
      CHECK(f->data.substr(f->data.size() - tail.size()) == tail);
      auto h = f->data.substr(0, f->data.size() - tail.size());
      if (k == 1) head = h;
      CHECK(h == head);
    }
    heads.insert(head);
  }
  CHECK(heads.size() == n);
  s.server->stop();
  io.stop();
}

TEST_CASE("net: a drain notice asked right after a fan-out comes after that message") {
  net::io_runtime io{1};
  fanout_server s(io, {});
  std::string err;
  auto c = test::ws_client::open(io, s.url(), &err);
  REQUIRE(c);
  auto members = s.wait_members(1);
  REQUIRE(members.size() == 1);
  auto channel = net::fanout_channel::make();
  for (int k = 0; k < 20; ++k) {
    // Hold the one network thread, so that the notice's check is queued before the fan-out
    // enters the connection's strand (the order in which they would race otherwise).
    std::promise<void> gate;
    auto held = gate.get_future().share();
    members[0]->run_on_network([held] { held.wait(); });
    channel->send(targets_of(members), std::make_shared<const std::string>("\"k\":" + std::to_string(k) + "}"));
    CHECK(members[0]->queued_bytes() > 0);  // counted at once, before the network thread took it
    members[0]->notify_when_drained();
    gate.set_value();
    auto msg = c->next(5s);
    auto drained = c->next(5s);
    REQUIRE(msg);
    REQUIRE(drained);
    CHECK(msg->data == "{\"to\":0,\"k\":" + std::to_string(k) + "}");
    CHECK(drained->data == "drained 0");
  }
  s.server->stop();
  io.stop();
}

TEST_CASE("net: a fan-out closes a connection over its queue cap, the others get the message") {
  net::io_runtime io{1};
  net::ws_limits limits;
  limits.max_queue_bytes = 64 * 1024;
  fanout_server s(io, limits);
  std::string err;
  auto a = test::ws_client::open(io, s.url(), &err);
  REQUIRE(a);
  auto b = test::ws_client::open(io, s.url(), &err);
  REQUIRE(b);
  auto members = s.wait_members(2);
  REQUIRE(members.size() == 2);
  // Connection 0 has its cap almost used up (reserved, as a fan-out still on its way would have).
  REQUIRE(members[0]->reserve_send(limits.max_queue_bytes - 10));
  net::fanout_channel::make()->send(targets_of(members), std::make_shared<const std::string>("\"k\":1}"));
  CHECK(a->wait_closed(10s));
  auto got = b->next(5s);
  REQUIRE(got);
  CHECK(got->data == "{\"to\":1,\"k\":1}");
  s.server->stop();
  io.stop();
}
