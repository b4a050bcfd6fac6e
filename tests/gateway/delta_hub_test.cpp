// The delta hub over a real websocket: a change that comes while the hub's last message is still
// on its way to the connections waits, merged with the ones after it, and goes out as ONE message
// the moment the network is free; a change when the network is free goes out at once and alone.
// The registry is a stand-in actor that answers the subscription with an empty page.

#include "services/gateway/delta_hub.hpp"
#include "services/gateway/gateway_context.hpp"

#include "common/actors/atoms.hpp"
#include "common/actors/messages.hpp"
#include "common/actors/system_config.hpp"
#include "tests/net/member_server.hpp"
#include "tests/sim/ws_client.hpp"

#include <caf/actor_control_block.hpp>
#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include <catch2/catch.hpp>

#include <future>
#include <thread>

using namespace mpk;
using namespace std::chrono_literals;

namespace {

using page_seq_ptr = std::shared_ptr<std::atomic<std::uint64_t>>;

/// The registry's device list with no devices, its pages at the seq the test sets; deltas come
/// from the test.
registry_devices_actor::behavior_type stand_in_registry(registry_devices_actor::pointer, page_seq_ptr page_seq) {
  auto page = [page_seq] {
    device_page p;
    p.seq = *page_seq;
    return p;
  };
  return {
    [=](atom::query, const device_query&) { return page(); },
    [=](atom::subscribe, const device_query&, std::uint64_t) { return page(); },
    [](atom::unsubscribe) {},
    [](atom::domains, const std::vector<std::string>&) { return std::vector<domain_summary>{}; },
  };
}

device_delta rename(std::uint64_t seq, const std::string& id, const std::string& name) {
  device_record d;
  d.id = id;
  d.name = name;
  d.tenant = "t1";
  d.product = "IP232";
  device_delta delta;
  delta.seq = seq;
  delta.changed.push_back(std::move(d));
  return delta;
}

struct seen {
  std::int64_t seq = -1, from = 0;
  std::string body;
};

seen read_change(test::ws_client& c) {
  auto f = c.next_mt("DevicesChanged", 10s);
  REQUIRE(f);
  test::json_doc doc(*f);
  REQUIRE(doc.ok);
  return {doc.integer("seq").value_or(-1), doc.integer("from").value_or(0), *f};
}

/// A delta hub beside the registry stand-in, in its own actor system; the test plays the registry.
struct hub_rig {
  system_config cfg;
  caf::actor_system sys{cfg};
  std::shared_ptr<gateway::gateway_context> ctx = std::make_shared<gateway::gateway_context>();
  page_seq_ptr page_seq = std::make_shared<std::atomic<std::uint64_t>>(10);
  registry_devices_actor registry;
  delta_hub_actor hub;
  /// Sends the hub deltas as the registry does (registry_actor is typed; its sends are not).
  caf::actor registry_sender;

  explicit hub_rig(std::chrono::milliseconds linger = 0ms) {
    ctx->options.fanout_linger = linger;
    registry = sys.spawn(stand_in_registry, page_seq);
    hub = gateway::spawn_delta_hub(sys, ctx, registry, "all");
    registry_sender = caf::actor_cast<caf::actor>(registry);
  }

  /// A member joins on `conn` (its page's source text `src`); the seq of its page.
  std::uint64_t join(caf::scoped_actor& who, const net::connection_ptr& conn, const std::string& src = "\"s\"") {
    std::uint64_t seq = 0;
    who
      ->request(hub, 5s, atom::subscribe_v, conn, device_query{}, std::uint64_t{0}, src, std::string(), false,
                std::string("test"))
      .receive([&](std::uint64_t s) { seq = s; }, [](const caf::error& e) { FAIL(caf::to_string(e)); });
    return seq;
  }

  void stop() {
    caf::anon_send_exit(hub, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(registry, caf::exit_reason::user_shutdown);
  }
};

} // namespace

TEST_CASE("delta hub: changes while the network is busy go out merged once it is free, then one at once alone") {
  net::io_runtime io{1};
  test::member_server server(io, {});
  std::string err;
  auto client = test::ws_client::open(io, server.url(), &err);
  REQUIRE(client);
  auto other_client = test::ws_client::open(io, server.url(), &err); // joins the hub later
  REQUIRE(other_client);
  auto conns = server.wait_members(2);
  REQUIRE(conns.size() == 2);

  hub_rig rig(0ms); // no linger: the pace comes from the network alone
  auto& hub = rig.hub;
  auto& registry_sender = rig.registry_sender;
  caf::scoped_actor member{rig.sys};
  REQUIRE(rig.join(member, conns[0]) == 10);
  REQUIRE(client->next_mt("QueryDevicesResult", 5s));

  // Hold the one network thread: delta 11 is handed to the channel and stays on its way.
  std::promise<void> gate;
  auto held = gate.get_future().share();
  conns[0]->run_on_network([held] { held.wait(); });
  caf::send_as(registry_sender, hub, rename(11, "d1", "first"));
  caf::send_as(registry_sender, hub, rename(12, "d1", "second"));
  caf::send_as(registry_sender, hub, rename(13, "d2", "third"));
  // A second member's join is answered after the hub has handled the three deltas before it.
  caf::scoped_actor other{rig.sys};
  REQUIRE(rig.join(other, conns[1]) == 10);
  gate.set_value();

  auto a = read_change(*client);
  CHECK(a.seq == 11);
  CHECK(a.from == 0); // alone
  auto b = read_change(*client);
  CHECK(b.seq == 13); // 12 and 13 merged: d1 with its newest name, and d2
  CHECK(b.from == 12);
  CHECK(b.body.find("\"second\"") != std::string::npos);
  CHECK(b.body.find("\"third\"") != std::string::npos);
  CHECK(b.body.find("\"first\"") == std::string::npos);

  // The network is free again: the next change goes out at once, alone, to both members.
  // (One network thread: the client read the merged message after the channel's last slice.)
  caf::send_as(registry_sender, hub, rename(14, "d2", "fourth"));
  auto c = read_change(*client);
  CHECK(c.seq == 14);
  CHECK(c.from == 0);
  auto d = read_change(*other_client);
  CHECK(d.seq == 14);
  CHECK(d.from == 0);

  rig.stop();
  server.server->stop();
  io.stop();
}

TEST_CASE("delta hub: a new page goes out behind the deltas the hub handed out before it") {
  // A browser that asks for another page while a delta to its old one is still on its way to the
  // network: that delta is older than the page (the page holds it), so it must arrive first; a
  // page that overtakes it is followed by a change the page already has (seq not above the page's).
  net::io_runtime io{1};
  test::member_server server(io, {});
  std::string err;
  auto client = test::ws_client::open(io, server.url(), &err);
  REQUIRE(client);
  auto conns = server.wait_members(1);
  REQUIRE(conns.size() == 1);

  hub_rig rig;
  auto& hub = rig.hub;
  auto& registry_sender = rig.registry_sender;
  caf::scoped_actor member{rig.sys};
  REQUIRE(rig.join(member, conns[0], "\"first\"") == 10);
  REQUIRE(client->next_mt("QueryDevicesResult", 5s));

  // Hold the one network thread: delta 11 is handed to the channel and stays on its way.
  std::promise<void> gate;
  auto held = gate.get_future().share();
  conns[0]->run_on_network([held] { held.wait(); });
  caf::send_as(registry_sender, hub, rename(11, "d1", "eleven"));
  // The hub has handed 11 out before it asks the registry for the new page (one mailbox, in order).
  *rig.page_seq = 11;
  REQUIRE(rig.join(member, conns[0], "\"second\"") == 11);
  gate.set_value();

  std::vector<std::string> order; // "mt seq" as the browser reads them
  while (order.size() < 2) {
    auto f = client->next(5s);
    REQUIRE(f);
    test::json_doc doc(f->data);
    REQUIRE(doc.ok);
    order.push_back(doc.str("mt") + " " + std::to_string(doc.integer("seq").value_or(-1)));
  }
  CHECK(order[0] == "DevicesChanged 11");
  CHECK(order[1] == "QueryDevicesResult 11");
  // Nothing at or below the new page's seq after it.
  caf::send_as(registry_sender, hub, rename(12, "d1", "twelve"));
  auto next = read_change(*client);
  CHECK(next.seq == 12);

  rig.stop();
  server.server->stop();
  io.stop();
}

TEST_CASE("delta hub: a hub that ends leaves nothing behind in the registry it monitored") {
  // Hubs come and go with their filters and retire at every registry restart; a plain monitor
  // would keep each ended hub's memory in the registry (monitor_while_alive.hpp).
  hub_rig rig;
  caf::actor_addr addr = rig.hub.address();
  caf::anon_send_exit(rig.hub, caf::exit_reason::user_shutdown);
  rig.hub = nullptr;
  auto* block = caf::actor_cast<caf::actor_control_block*>(addr);
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while ((block->strong_refs.load() != 0 || block->weak_refs.load() != 1) &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(5ms);
  INFO("strong " << block->strong_refs.load() << ", weak " << block->weak_refs.load());
  CHECK(block->strong_refs.load() == 0);
  CHECK(block->weak_refs.load() == 1); // ours
  rig.stop();
}

TEST_CASE("delta hub: a client that outlives its hub keeps nothing of it") {
  // A browser's session outlives the hub it was in (after a registry restart it joins the next
  // one): the hub's monitor in it must go when the hub retires, or it holds the hub's memory.
  net::io_runtime io{1};
  test::member_server server(io, {});
  std::string err;
  auto client = test::ws_client::open(io, server.url(), &err);
  REQUIRE(client);
  auto conns = server.wait_members(1);
  REQUIRE(conns.size() == 1);
  hub_rig rig;
  caf::actor_addr addr = rig.hub.address();
  {
    caf::scoped_actor member{rig.sys};
    REQUIRE(rig.join(member, conns[0]) == 10);
    member->send(rig.hub, atom::unsubscribe_v); // the last member leaves: the hub retires
    rig.hub = nullptr;
    auto* block = caf::actor_cast<caf::actor_control_block*>(addr);
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while ((block->strong_refs.load() != 0 || block->weak_refs.load() != 1) &&
           std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(5ms);
    INFO("strong " << block->strong_refs.load() << ", weak " << block->weak_refs.load());
    CHECK(block->strong_refs.load() == 0);
    CHECK(block->weak_refs.load() == 1); // ours, while the member still lives
  }
  rig.stop();
  server.server->stop();
  io.stop();
}
