// The registry actor under CAF's deterministic test coordinator: queries, subscriptions,
// resume, targets and watchers. devices_links are stood in for by (link_event, link_update)
// messages sent straight to it (registry_fixture.hpp). The stale rule is in stale_test.cpp.

#include "services/registry/device_filter.hpp"
#include "tests/registry/registry_fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <optional>

using namespace mpk;
using namespace mpk::test;

TEST_CASE("registry: query pages and tenant scope") {
  fixture f;
  f.feed(test::synth_snapshot("t1/dev", "t1", 300, 4));
  f.feed(test::synth_snapshot("t2/dev", "t2", 200, 4));
  device_query q;
  q.limit = 100;
  auto all = f.ask<device_page>(atom::query_v, q);
  REQUIRE(all);
  CHECK(all->total == 500);
  CHECK(all->devices.size() == 100);
  CHECK(all->seq == 2);
  q.tenants = {"t2"};
  q.search = "ip812";
  auto t2 = f.ask<device_page>(atom::query_v, q);
  REQUIRE(t2);
  CHECK(t2->total > 0);
  for (auto& d : t2->devices) {
    CHECK(d.tenant == "t2");
    CHECK(d.product == "IP812");
  }
  auto doms = f.ask<std::vector<domain_summary>>(atom::domains_v, std::vector<std::string>{"t1"});
  REQUIRE(doms);
  CHECK(doms->size() == 4);
  std::uint32_t total = 0;
  for (auto& d : *doms) total += d.total;
  CHECK(total == 300);
}

TEST_CASE("registry: target is scoped to the caller's tenants and unknown devices are refused") {
  fixture f;
  f.feed(test::synth_snapshot("t1/dev", "t1", 10, 2));
  auto t = f.ask<phone_target>(atom::target_v, std::string("t1/dev:3"), std::vector<std::string>{"t1"});
  REQUIRE(t);
  CHECK(t->link_up);
  CHECK(t->hw_id == test::synth_device("t1/dev", 3, 2).hw_id);
  CHECK(t->base_url == "http://devices.invalid/passthrough/" + t->hw_id + "/key-t1/dev/");
  auto op = f.ask<phone_target>(atom::target_v, std::string("t1/dev:3"), std::vector<std::string>{});
  CHECK(op); // operators (no tenant list) see everything
  auto other = f.ask<phone_target>(atom::target_v, std::string("t1/dev:3"), std::vector<std::string>{"t2"});
  CHECK_FALSE(other);
  CHECK(f.last_error.find("device outside your scope") != std::string::npos);
  auto unknown = f.ask<phone_target>(atom::target_v, std::string("t1/dev:999"), std::vector<std::string>{"t1"});
  CHECK_FALSE(unknown);
  CHECK(f.last_error.find("unknown device") != std::string::npos);
}

TEST_CASE("registry: a subscriber gets exactly the deltas matching its query") {
  fixture f;
  f.feed(test::synth_snapshot("t1/dev", "t1", 50, 2));
  f.feed(test::synth_snapshot("t2/dev", "t2", 50, 2));
  auto [c, box] = f.new_client();
  device_query q;
  q.tenants = {"t1"};
  q.online = 1;
  f.tell(c, caf::make_message(atom::subscribe_v, q, std::uint64_t{0}));
  REQUIRE(box->pages.size() == 1);
  CHECK_FALSE(box->pages[0].resumed);
  CHECK(box->pages[0].seq == 2);
  CHECK(box->deltas.empty());

  link_update u;
  u.link = "t1/dev";
  u.tenant = "t1";
  u.kind = link_update_kind::delta;
  u.state = link_state::up;
  auto goes_off = test::synth_device("t1/dev", 1, 2); // online (1 % 3 != 0) → offline
  goes_off.online = false;
  auto comes_on = test::synth_device("t1/dev", 3, 2); // offline → online
  comes_on.online = true;
  auto renamed = test::synth_device("t1/dev", 4, 2); // online, renamed
  renamed.name = "Renamed";
  u.devices = {goes_off, comes_on, renamed};
  u.removed_devices = {"t1/dev:5"}; // online, removed
  f.feed(u);
  link_update other = u; // tenant t2: not for this subscriber
  other.link = "t2/dev";
  other.tenant = "t2";
  other.devices = {test::synth_device("t2/dev", 77, 2)};
  other.removed_devices.clear();
  f.feed(other);

  REQUIRE(box->deltas.size() == 1);
  auto& d = box->deltas[0];
  CHECK(d.seq == 3);
  CHECK(ids_of(d.added) == std::vector<std::string>{"t1/dev:3"});
  CHECK(ids_of(d.changed) == std::vector<std::string>{"t1/dev:4"});
  CHECK(ids_of(d.removed) == std::vector<std::string>{"t1/dev:1", "t1/dev:5"});

  // After unsubscribe nothing more arrives.
  f.tell(c, caf::make_message(atom::unsubscribe_v));
  u.devices = {test::synth_device("t1/dev", 3, 2)};
  u.removed_devices.clear();
  f.feed(u);
  CHECK(box->deltas.size() == 1);
}

TEST_CASE("registry: subscribers with an equal filter share one delta, others get their own") {
  fixture f;
  f.feed(test::synth_snapshot("t1/dev", "t1", 10, 1));
  f.feed(test::synth_snapshot("t2/dev", "t2", 10, 1));
  auto [a, box_a] = f.new_client();
  auto [b, box_b] = f.new_client();
  auto [c, box_c] = f.new_client();
  device_query qa, qb, qc;
  qa.tenants = {"t1", "t2"};
  qa.search = "Renamed";
  qb.tenants = {"t2", "t1"}; // same scope, other order
  qb.search = "  renamed ";  // same term once normalised
  qc.tenants = {"t2"};
  qc.search = "renamed";
  CHECK(registry::device_filter(qa) == registry::device_filter(qb));
  CHECK(registry::device_filter(qa) != registry::device_filter(qc));
  f.tell(a, caf::make_message(atom::subscribe_v, qa, std::uint64_t{0}));
  f.tell(b, caf::make_message(atom::subscribe_v, qb, std::uint64_t{0}));
  f.tell(c, caf::make_message(atom::subscribe_v, qc, std::uint64_t{0}));
  link_update u;
  u.link = "t1/dev";
  u.tenant = "t1";
  u.kind = link_update_kind::delta;
  auto d = test::synth_device("t1/dev", 2, 1);
  d.name = "Renamed";
  u.devices = {d};
  f.feed(u);
  REQUIRE(box_a->deltas.size() == 1);
  REQUIRE(box_b->deltas.size() == 1);
  CHECK(box_c->deltas.empty()); // t1's device is outside c's scope
  CHECK(ids_of(box_a->deltas[0].added) == std::vector<std::string>{"t1/dev:2"});
  CHECK(ids_of(box_b->deltas[0].added) == std::vector<std::string>{"t1/dev:2"});
  CHECK(box_a->delta_addresses[0] == box_b->delta_addresses[0]); // one message, not a copy each
}

TEST_CASE("device_filter: the key tells filters apart by scope, domain, online and term") {
  auto key = [](std::vector<std::string> tenants, std::string domain, std::int8_t online, std::string search) {
    device_query q;
    q.tenants = std::move(tenants);
    q.domain = std::move(domain);
    q.online = online;
    q.search = std::move(search);
    return registry::device_filter(q).key();
  };
  CHECK(key({}, "", -1, "") == registry::device_filter().key());
  CHECK(key({"a", "b"}, "", -1, "") == key({"b", "a", "a"}, "", -1, ""));
  CHECK(key({"a"}, "", -1, "") != key({"b"}, "", -1, ""));
  CHECK(key({"ab"}, "", -1, "") != key({"a", "b"}, "", -1, ""));
  CHECK(key({}, "d1", -1, "") != key({}, "", -1, ""));
  CHECK(key({}, "", 1, "") != key({}, "", 0, ""));
  CHECK(key({}, "", 7, "") == key({}, "", -1, "")); // out-of-range online means any
  CHECK(key({}, "", -1, "x") != key({}, "", -1, ""));
  CHECK(key({"t"}, "x", -1, "") != key({"t"}, "", -1, "x"));
}

TEST_CASE("registry: a new subscribe of the same actor replaces its subscription") {
  fixture f;
  f.feed(test::synth_snapshot("t1/dev", "t1", 10, 1));
  f.feed(test::synth_snapshot("t2/dev", "t2", 10, 1));
  auto [c, box] = f.new_client();
  device_query q1;
  q1.tenants = {"t1"};
  device_query q2;
  q2.tenants = {"t2"};
  f.tell(c, caf::make_message(atom::subscribe_v, q1, std::uint64_t{0}));
  f.tell(c, caf::make_message(atom::subscribe_v, q2, std::uint64_t{0}));
  REQUIRE(box->pages.size() == 2);
  CHECK(box->pages[1].total == 10);
  for (auto& d : box->pages[1].devices) CHECK(d.tenant == "t2");
  for (const char* link : {"t1/dev", "t2/dev"}) {
    link_update u;
    u.link = link;
    u.tenant = std::string(link).substr(0, 2);
    u.kind = link_update_kind::delta;
    auto d = test::synth_device(link, 1, 1);
    d.name = "changed";
    u.devices = {d};
    f.feed(u);
  }
  REQUIRE(box->deltas.size() == 1); // only the t2 change: the t1 subscription is gone
  CHECK(ids_of(box->deltas[0].changed) == std::vector<std::string>{"t2/dev:1"});
  caf::anon_send(f.reg, atom::log_status_v); // the "Log Service Connections" button: one line per link
  f.sched->run();
}

TEST_CASE("registry: resume from a sequence number replays the missed deltas, filtered") {
  fixture f;
  f.feed(test::synth_snapshot("t1/dev", "t1", 20, 2)); // seq 1
  auto [c, box] = f.new_client();
  device_query q;
  q.search = "lobby";
  f.tell(c, caf::make_message(atom::subscribe_v, q, std::uint64_t{0}));
  REQUIRE(box->pages.size() == 1);
  auto seen = box->pages[0].seq;
  CHECK(seen == 1);
  caf::anon_send_exit(c, caf::exit_reason::user_shutdown); // the subscriber goes away
  f.sched->run();

  // Three changes while it is gone: two changes of LOBBY devices (n % 5 == 1) and one of "meeting Room 3".
  for (std::int64_t n : {1, 6, 3}) {
    link_update u;
    u.link = "t1/dev";
    u.tenant = "t1";
    u.kind = link_update_kind::delta;
    u.state = link_state::up;
    auto d = test::synth_device("t1/dev", n, 2);
    d.version = "14r1";
    u.devices = {d};
    f.feed(u);
  }
  auto [c2, box2] = f.new_client();
  f.tell(c2, caf::make_message(atom::subscribe_v, q, seen));
  REQUIRE(box2->pages.size() == 1);
  CHECK(box2->pages[0].resumed);
  CHECK(box2->pages[0].seq == 4);
  CHECK(box2->pages[0].devices.empty());
  CHECK(box2->pages[0].total == 4);  // LOBBY 1, 6, 11, 16
  REQUIRE(box2->deltas.size() == 2); // the meeting room change is filtered out
  CHECK(box2->deltas[0].seq == 2);
  CHECK(ids_of(box2->deltas[0].changed) == std::vector<std::string>{"t1/dev:1"});
  CHECK(box2->deltas[1].seq == 3);

  // Too old (beyond the 50 kept deltas) or from the future: a fresh page instead.
  for (int i = 0; i < 60; ++i) {
    link_update u;
    u.link = "t1/dev";
    u.tenant = "t1";
    u.kind = link_update_kind::delta;
    auto d = test::synth_device("t1/dev", 2, 2);
    d.name = "n" + std::to_string(i);
    u.devices = {d};
    f.feed(u);
  }
  auto [c3, box3] = f.new_client();
  f.tell(c3, caf::make_message(atom::subscribe_v, q, std::uint64_t{4}));
  REQUIRE(box3->pages.size() == 1);
  CHECK_FALSE(box3->pages[0].resumed);
  CHECK(box3->pages[0].devices.size() == 4);
  f.tell(c3, caf::make_message(atom::subscribe_v, q, std::uint64_t{100000}));
  REQUIRE(box3->pages.size() == 2);
  CHECK_FALSE(box3->pages[1].resumed);
}

TEST_CASE("registry: watchers get the target now and after every change until they unwatch") {
  fixture f;
  f.feed(test::synth_snapshot("t1/dev", "t1", 5, 1));
  auto [c, box] = f.new_client();
  f.tell(c, caf::make_message(atom::watch_tgt_v, std::string("t1/dev:2")));
  REQUIRE(box->targets.size() == 1);
  auto first = box->targets[0];
  CHECK(first.link_up);
  CHECK(first.online);

  link_update u;
  u.link = "t1/dev";
  u.tenant = "t1";
  u.kind = link_update_kind::delta;
  auto d = test::synth_device("t1/dev", 2, 1);
  d.online = false;
  u.devices = {d};
  f.feed(u);
  REQUIRE(box->targets.size() == 2);
  CHECK_FALSE(box->targets[1].online);
  CHECK(box->targets[1].epoch > first.epoch);

  // A change of another device: nothing for this watcher.
  u.devices = {test::synth_device("t1/dev", 3, 1)};
  u.devices[0].name = "x";
  f.feed(u);
  CHECK(box->targets.size() == 2);

  f.feed(state_update("t1/dev", "t1", link_state::down));
  REQUIRE(box->targets.size() == 3);
  CHECK_FALSE(box->targets[2].link_up);
  CHECK(box->targets[2].base_url.empty());

  f.tell(c, caf::make_message(atom::unwatch_tgt_v, std::string("t1/dev:2")));
  f.feed(test::synth_snapshot("t1/dev", "t1", 5, 1));
  CHECK(box->targets.size() == 3);
}

TEST_CASE("registry: a subscriber that goes down is dropped, link reports from unknown senders are ignored") {
  fixture f;
  f.feed(test::synth_snapshot("t1/dev", "t1", 5, 1));
  auto [c, box] = f.new_client();
  f.tell(c, caf::make_message(atom::subscribe_v, device_query{}, std::uint64_t{0}));
  caf::anon_send_exit(c, caf::exit_reason::kill);
  f.sched->run();
  link_update u;
  u.link = "t1/dev";
  u.tenant = "t1";
  u.kind = link_update_kind::delta;
  u.devices = {test::synth_device("t1/dev", 9, 1)};
  f.feed(u); // must not try to reach the dead subscriber (or crash)
  device_query q;
  auto p = f.ask<device_page>(atom::query_v, q);
  REQUIRE(p);
  CHECK(p->total == 6);

  // A report that claims a link from an actor that is not that link's actor: dropped.
  auto reg = caf::actor_cast<caf::actor>(f.reg); // link events are internal to the registry's type
  f.sys->spawn(
    [](caf::event_based_actor* self, caf::actor reg) {
      link_update bad = test::synth_snapshot("t1/dev", "t1", 0, 1);
      self->send(reg, atom::link_event_v, bad);
    },
    reg);
  f.sched->run();
  p = f.ask<device_page>(atom::query_v, q);
  REQUIRE(p);
  CHECK(p->total == 6);
}

TEST_CASE("registry: refuses to start without a network runtime") {
  system_config cfg;
  cfg.set("scheduler.policy", caf::atom("testing"));
  caf::actor_system sys{cfg};
  auto& sched = dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler());
  auto reg = registry::spawn_registry(sys, registry::registry_options{});
  sched.run();
  auto done = std::make_shared<bool>(false);
  sys.spawn(
    [=](caf::event_based_actor* self, registry_actor r) {
      self->request(r, 1s, atom::status_v).then([=](const std::string&) {}, [=](const caf::error&) { *done = true; });
    },
    reg);
  sched.run();
  CHECK(*done);
}

TEST_CASE("registry: a restarted registry's targets are newer than any its predecessor sent") {
  // A phone session drops a target older than the one it has (an answer overtaken by a push);
  // the new process's targets carry the new session keys and must win.
  std::uint64_t before = 0;
  {
    fixture old_process;
    old_process.feed(test::synth_snapshot("t1/dev", "t1", 5, 1));
    auto [c, box] = old_process.new_client();
    old_process.tell(c, caf::make_message(atom::watch_tgt_v, std::string("t1/dev:2")));
    for (int online = 0; online < 6; ++online) { // the old process's clock moves on
      link_update u;
      u.link = "t1/dev";
      u.tenant = "t1";
      u.kind = link_update_kind::delta;
      auto d = test::synth_device("t1/dev", 2, 1);
      d.online = online % 2 == 1;
      u.devices = {d};
      old_process.feed(u);
    }
    REQUIRE(box->targets.size() == 7);
    before = box->targets.back().epoch;
  }
  fixture new_process;
  new_process.feed(test::synth_snapshot("t1/dev", "t1", 5, 1));
  auto [c, box] = new_process.new_client();
  new_process.tell(c, caf::make_message(atom::watch_tgt_v, std::string("t1/dev:2")));
  REQUIRE(box->targets.size() == 1);
  CHECK(box->targets[0].epoch > before);
}
