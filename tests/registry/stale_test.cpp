// The stale rule of the registry actor under CAF's deterministic test coordinator: the grace
// period after a link goes down, what a reload then publishes, and its timers.

#include "tests/registry/registry_fixture.hpp"

#include <catch2/catch.hpp>

using namespace mpk;
using namespace mpk::test;

TEST_CASE("registry: a link going down marks its devices stale, the reload emits only the differences") {
  fixture f;
  auto snap = test::synth_snapshot("t1/dev", "t1", 40, 2);
  f.feed(snap);
  auto [c, box] = f.new_client();
  f.tell(c, caf::make_message(atom::subscribe_v, device_query{}, std::uint64_t{0}));

  f.feed(state_update("t1/dev", "t1", link_state::down));
  CHECK(box->deltas.empty()); // within the grace period nothing is stale yet
  CHECK(f.sched->advance_time(std::chrono::seconds(2)) == 1);
  f.sched->run();
  REQUIRE(box->deltas.size() == 1);
  CHECK(box->deltas[0].changed.size() == 40);
  for (auto& d : box->deltas[0].changed) CHECK(d.stale);
  device_query all;
  all.limit = 100;
  auto page = f.ask<device_page>(atom::query_v, all);
  REQUIRE(page);
  CHECK(page->total == 40); // kept, not dropped
  auto t = f.ask<phone_target>(atom::target_v, std::string("t1/dev:2"), std::vector<std::string>{});
  REQUIRE(t);
  CHECK_FALSE(t->link_up);
  CHECK(t->base_url.empty()); // the key died with the session
  auto status = f.ask<std::string>(atom::status_v);
  REQUIRE(status);
  CHECK(status->find(R"("state":"down")") != std::string::npos);
  CHECK(status->find("Devices instance restarting") != std::string::npos);

  // Further non-up states change nothing more.
  f.feed(state_update("t1/dev", "t1", link_state::connecting));
  f.feed(state_update("t1/dev", "t1", link_state::loading));
  CHECK(box->deltas.size() == 1);

  // The instance restarted with changes: one removed, one added, one renamed.
  auto next = snap;
  next.key = "new-key";
  next.devices.erase(next.devices.begin() + 9); // device 10
  next.devices.push_back(test::synth_device("t1/dev", 41, 2));
  next.devices[0].name = "Renamed while down";
  f.feed(next);
  REQUIRE(box->deltas.size() == 2);
  auto& d = box->deltas[1];
  CHECK(ids_of(d.added) == std::vector<std::string>{"t1/dev:41"});
  CHECK(ids_of(d.removed) == std::vector<std::string>{"t1/dev:10"});
  CHECK(d.changed.size() == 39); // stale → fresh (all 39 kept devices), one of them also renamed
  for (auto& r : d.changed) CHECK_FALSE(r.stale);
  t = f.ask<phone_target>(atom::target_v, std::string("t1/dev:2"), std::vector<std::string>{});
  REQUIRE(t);
  CHECK(t->link_up);
  CHECK(t->base_url.find("/new-key/") != std::string::npos);
  status = f.ask<std::string>(atom::status_v);
  CHECK(status->find(R"("reconnects":0)") != std::string::npos); // the first "connecting" is no reconnect
}

TEST_CASE("registry: a restart back at loading within the grace period publishes only the real differences") {
  fixture f; // 2 s grace
  auto snap = test::synth_snapshot("t1/dev", "t1", 40, 2);
  f.feed(snap);
  auto [c, box] = f.new_client();
  f.tell(c, caf::make_message(atom::subscribe_v, device_query{}, std::uint64_t{0}));

  f.feed(state_update("t1/dev", "t1", link_state::down));
  f.feed(state_update("t1/dev", "t1", link_state::connecting));
  CHECK(f.sched->advance_time(1s) == 0);
  f.feed(state_update("t1/dev", "t1", link_state::loading)); // the instance is back, its list on the way
  // The grace timer still fires, but the link came back in time: nothing goes stale.
  CHECK(f.sched->advance_time(2s) == 1);
  f.sched->run();
  CHECK(box->deltas.empty());
  auto t = f.ask<phone_target>(atom::target_v, std::string("t1/dev:2"), std::vector<std::string>{});
  REQUIRE(t);
  CHECK_FALSE(t->link_up); // the session key died all the same

  auto next = snap;
  next.key = "new-key";
  next.devices.erase(next.devices.begin() + 9); // device 10
  next.devices.push_back(test::synth_device("t1/dev", 41, 2));
  next.devices[0].name = "Renamed while down";
  f.feed(next);
  REQUIRE(box->deltas.size() == 1);
  auto& d = box->deltas[0];
  CHECK(ids_of(d.added) == std::vector<std::string>{"t1/dev:41"});
  CHECK(ids_of(d.removed) == std::vector<std::string>{"t1/dev:10"});
  CHECK(ids_of(d.changed) == std::vector<std::string>{"t1/dev:1"});
  for (auto& r : d.changed) CHECK_FALSE(r.stale);
  t = f.ask<phone_target>(atom::target_v, std::string("t1/dev:2"), std::vector<std::string>{});
  REQUIRE(t);
  CHECK(t->link_up);
  CHECK(t->base_url.find("/new-key/") != std::string::npos);
}

TEST_CASE("registry: a link that keeps failing cannot postpone its grace period") {
  fixture f; // 2 s grace
  f.feed(test::synth_snapshot("t1/dev", "t1", 30, 2));
  auto [c, box] = f.new_client();
  f.tell(c, caf::make_message(atom::subscribe_v, device_query{}, std::uint64_t{0}));

  f.feed(state_update("t1/dev", "t1", link_state::down)); // grace until 2 s, from this first drop
  CHECK(f.sched->advance_time(1500ms) == 0);
  f.feed(state_update("t1/dev", "t1", link_state::loading));
  f.feed(state_update("t1/dev", "t1", link_state::down)); // the load broke off: the deadline stays
  CHECK(f.sched->advance_time(500ms) == 1);
  f.sched->run();
  REQUIRE(box->deltas.size() == 1);
  CHECK(box->deltas[0].changed.size() == 30);
  for (auto& r : box->deltas[0].changed) CHECK(r.stale);
  // Stale already: further states arm nothing.
  f.feed(state_update("t1/dev", "t1", link_state::connecting));
  CHECK(f.sched->advance_time(5s) == 0);
}

TEST_CASE("registry: a link still loading when the grace ends gets one more period, then goes stale") {
  fixture f; // 2 s grace
  f.feed(test::synth_snapshot("t1/dev", "t1", 30, 2));
  auto [c, box] = f.new_client();
  f.tell(c, caf::make_message(atom::subscribe_v, device_query{}, std::uint64_t{0}));

  f.feed(state_update("t1/dev", "t1", link_state::down));
  f.feed(state_update("t1/dev", "t1", link_state::loading)); // back, but its list never completes
  CHECK(f.sched->advance_time(2s) == 1);                     // grace over while loading: one more
  f.sched->run();
  CHECK(box->deltas.empty());
  f.feed(state_update("t1/dev", "t1", link_state::down));
  f.feed(state_update("t1/dev", "t1", link_state::loading)); // failing and retrying meanwhile
  CHECK(f.sched->advance_time(2s) == 1);                     // no third period
  f.sched->run();
  REQUIRE(box->deltas.size() == 1);
  CHECK(box->deltas[0].changed.size() == 30);
  for (auto& r : box->deltas[0].changed) CHECK(r.stale);
}

TEST_CASE("registry: the grace timer of a removed link does not cut short the grace of its successor") {
  fixture f; // 2 s grace
  f.feed(test::synth_snapshot("t1/dev", "t1", 30, 2));
  auto [c, box] = f.new_client();
  f.tell(c, caf::make_message(atom::subscribe_v, device_query{}, std::uint64_t{0}));
  f.feed(state_update("t1/dev", "t1", link_state::down)); // its timer fires at 2 s
  // The tenant's PBX no longer grants the service: the link and its devices go.
  pbx_info none;
  none.tenant = "t1";
  caf::anon_send(f.reg, atom::pbx_up_v, none, pbx_link_actor{});
  f.sched->run();
  REQUIRE(box->deltas.size() == 1);
  CHECK(box->deltas[0].removed.size() == 30);
  CHECK(f.sched->advance_time(1s) == 0);
  // A link of the same id again, down at 1 s: its grace runs until 3 s.
  f.feed(test::synth_snapshot("t1/dev", "t1", 30, 2));
  f.feed(state_update("t1/dev", "t1", link_state::down));
  REQUIRE(box->deltas.size() == 2);
  CHECK(f.sched->advance_time(1s) == 1); // the removed link's timer
  f.sched->run();
  CHECK(box->deltas.size() == 2);
  CHECK(f.sched->advance_time(1s) == 1);
  f.sched->run();
  REQUIRE(box->deltas.size() == 3);
  CHECK(box->deltas[2].changed.size() == 30);
}

TEST_CASE("registry: without a grace period a link going down marks its devices stale at once") {
  fixture f(0ms);
  f.feed(test::synth_snapshot("t1/dev", "t1", 12, 2));
  auto [c, box] = f.new_client();
  f.tell(c, caf::make_message(atom::subscribe_v, device_query{}, std::uint64_t{0}));
  f.feed(state_update("t1/dev", "t1", link_state::down));
  REQUIRE(box->deltas.size() == 1);
  CHECK(box->deltas[0].changed.size() == 12);
  for (auto& r : box->deltas[0].changed) CHECK(r.stale);
}

TEST_CASE("registry: one of several Devices instances restarting re-emits only its own differences") {
  fixture f; // 2 s grace
  std::vector<link_update> snaps;
  for (const char* link : {"t1/dev1", "t1/dev2", "t1/dev3"}) {
    snaps.push_back(test::synth_snapshot(link, "t1", 40, 2));
    f.feed(snaps.back());
  }
  auto [c, box] = f.new_client();
  f.tell(c, caf::make_message(atom::subscribe_v, device_query{}, std::uint64_t{0}));

  f.feed(state_update("t1/dev2", "t1", link_state::down));
  f.feed(state_update("t1/dev2", "t1", link_state::connecting));
  f.feed(state_update("t1/dev2", "t1", link_state::loading));
  // Back with its complete list, two devices changed while it was down.
  auto next = snaps[1];
  next.key = "new-key";
  next.devices[4].name = "Renamed while down";
  next.devices[7].online = !next.devices[7].online;
  f.feed(next);
  CHECK(f.sched->advance_time(2s) == 1);
  f.sched->run();
  REQUIRE(box->deltas.size() == 1);
  const auto& d = box->deltas[0];
  CHECK(d.added.empty());
  CHECK(d.removed.empty());
  CHECK(ids_of(d.changed) == std::vector<std::string>{"t1/dev2:5", "t1/dev2:8"});
  for (const auto& r : d.changed) CHECK_FALSE(r.stale);
  device_query all;
  all.limit = 200;
  auto page = f.ask<device_page>(atom::query_v, all);
  REQUIRE(page);
  CHECK(page->total == 120);
  for (const auto& r : page->devices) CHECK_FALSE(r.stale);
}
