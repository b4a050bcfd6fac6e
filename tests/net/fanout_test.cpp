// net::fanout_channel: one hand-over to the network for many connections. Every connection gets its
// own head and the shared body once per call, in call order; a drain notice never overtakes a
// fan-out still on its way; a connection over its queue cap is closed and the others go on.

#include "common/net/fanout.hpp"
#include "common/net/io_runtime.hpp"
#include "common/net/server.hpp"
#include "tests/net/member_server.hpp"
#include "tests/sim/ws_client.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <set>

using namespace mpk;
using namespace std::chrono_literals;
using test::member_server;

namespace {

std::vector<net::fanout_target> targets_of(const std::vector<net::connection_ptr>& members) {
  std::vector<net::fanout_target> t;
  for (std::size_t i = 0; i < members.size(); ++i)
    t.push_back({members[i], std::make_shared<const std::string>("{\"to\":" + std::to_string(i) + ",")});
  return t;
}

/// `n` clients of `s`, and the server ends of their connections (in join order).
std::pair<std::vector<std::shared_ptr<test::ws_client>>, std::vector<net::connection_ptr>> connect(net::io_runtime& io,
                                                                                                   member_server& s,
                                                                                                   std::size_t n) {
  std::vector<std::shared_ptr<test::ws_client>> clients;
  for (std::size_t i = 0; i < n; ++i) {
    std::string err;
    auto c = test::ws_client::open(io, s.url(), &err);
    REQUIRE(c);
    clients.push_back(c);
  }
  auto members = s.wait_members(n);
  REQUIRE(members.size() == n);
  return {std::move(clients), std::move(members)};
}

} // namespace

TEST_CASE("net: a fan-out channel reaches every connection once per call, in order, over several slices") {
  net::io_runtime io{2};
  member_server s(io, {});
  const std::size_t n = 3 * net::fanout_slice + 5; // more than one slice, and a partial last one
  auto [clients, members] = connect(io, s, n);

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
  member_server s(io, {});
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
    CHECK(members[0]->queued_bytes() > 0); // counted at once, before the network thread took it
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

TEST_CASE("net: an idle notice comes once, after every message sent so far was handed over, none when idle") {
  net::io_runtime io{1};
  member_server s(io, {});
  const std::size_t n = 2 * net::fanout_slice + 3; // the notice waits for the last of three slices
  auto [clients, members] = connect(io, s, n);
  auto channel = net::fanout_channel::make();
  CHECK_FALSE(channel->busy());
  CHECK_FALSE(channel->notify_when_idle([] { FAIL("an idle channel has nothing to notify"); }));

  // Hold the one network thread, so that both messages are still on their way when we ask.
  std::promise<void> gate;
  auto held = gate.get_future().share();
  members[0]->run_on_network([held] { held.wait(); });
  for (int k = 1; k <= 2; ++k)
    channel->send(targets_of(members), std::make_shared<const std::string>("\"k\":" + std::to_string(k) + "}"));
  CHECK(channel->busy());
  std::promise<std::size_t> notified; // how many messages were still not handed over then
  std::atomic<int> calls{0};
  auto first = [&] { FAIL("a later request replaces the earlier callback"); };
  CHECK(channel->notify_when_idle(first));
  CHECK(channel->notify_when_idle([&] {
    // Every message is in its connection's queue or written by now: reserved-only bytes would
    // mean a slice is still to come. With one network thread nothing else runs meanwhile.
    if (calls++ == 0) notified.set_value(channel->busy() ? 1 : 0);
  }));
  gate.set_value();
  auto f = notified.get_future();
  REQUIRE(f.wait_for(10s) == std::future_status::ready);
  CHECK(f.get() == 0);
  for (std::size_t i = 0; i < n; ++i) {
    INFO("client " << i);
    for (int k = 1; k <= 2; ++k) {
      auto m = clients[i]->next(10s);
      REQUIRE(m);
      CHECK(m->data == "{\"to\":" + std::to_string(i) + ",\"k\":" + std::to_string(k) + "}");
    }
  }
  CHECK(calls == 1);
  CHECK_FALSE(channel->notify_when_idle([] { FAIL("idle again: no notice"); }));
  s.server->stop();
  io.stop();
}

TEST_CASE("net: a fan-out closes a connection over its queue cap, the others get the message") {
  net::io_runtime io{1};
  net::ws_limits limits;
  limits.max_queue_bytes = 64 * 1024;
  member_server s(io, limits);
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
