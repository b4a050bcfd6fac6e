// The event log (resume coverage) and the per-subscriber filtering of deltas.

#include "services/registry/event_log.hpp"
#include "tests/registry/synth.hpp"

#include <catch2/catch.hpp>

using namespace mpk;
using namespace mpk::registry;

namespace {

/// The strings of the test's entries (a model keeps its own).
string_pool pool;

change_list one_change(std::int64_t n) { return {{nullptr, make_entry(test::synth_device("l", n), pool)}}; }

} // namespace

TEST_CASE("event log: resume is possible exactly while every later delta is kept") {
  event_log log(3);
  for (std::uint64_t seq = 1; seq <= 5; ++seq) log.append(seq, one_change(static_cast<std::int64_t>(seq)));
  CHECK(log.size() == 3);       // 3, 4, 5 kept
  CHECK_FALSE(log.since(1, 5)); // 2 is gone
  auto from2 = log.since(2, 5);
  REQUIRE(from2);
  REQUIRE(from2->size() == 3);
  CHECK((*from2)[0]->seq == 3);
  CHECK((*from2)[2]->seq == 5);
  auto from4 = log.since(4, 5);
  REQUIRE(from4);
  REQUIRE(from4->size() == 1);
  CHECK((*from4)[0]->seq == 5);
  auto current = log.since(5, 5);
  REQUIRE(current);
  CHECK(current->empty());
  CHECK_FALSE(log.since(9, 5)); // from the future: a restarted registry
}

TEST_CASE("event log: the change budget bounds memory as well as the delta count") {
  event_log log(100, 10);
  change_list big;
  for (int n = 1; n <= 8; ++n) big.push_back({nullptr, make_entry(test::synth_device("l", n), pool)});
  log.append(1, big);
  log.append(2, big); // 16 changes > 10: delta 1 is dropped
  CHECK(log.size() == 1);
  CHECK_FALSE(log.since(0, 2));
  CHECK(log.since(1, 2));
}

TEST_CASE("filter_delta: devices entering or leaving the query become added or removed") {
  auto on = test::synth_device("l", 1);
  on.online = true;
  on.tenant = "t1";
  auto off = on;
  off.online = false;
  auto other = test::synth_device("l", 2);
  other.tenant = "t2";
  other.online = true;
  change_list changes{
    {make_entry(on, pool), make_entry(off, pool)}, // goes offline
    {make_entry(off, pool), make_entry(on, pool)}, // comes online
    {make_entry(on, pool), make_entry(on, pool)},  // stays online (e.g. a rename)
    {nullptr, make_entry(other, pool)},            // added, other tenant
    {make_entry(on, pool), nullptr},               // removed
  };
  device_query q;
  q.tenants = {"t1"};
  q.online = 1;
  auto d = filter_delta(7, changes, device_filter(q));
  CHECK(d.seq == 7);
  REQUIRE(d.removed.size() == 2);
  CHECK(d.removed[0].online == false); // the latest record of the device that stopped matching
  REQUIRE(d.added.size() == 1);
  CHECK(d.added[0].online);
  CHECK(d.changed.size() == 1);

  auto all = full_delta(8, changes);
  CHECK(all.added.size() == 1);
  CHECK(all.changed.size() == 3);
  CHECK(all.removed.size() == 1);

  device_query search;
  search.search = other.hw_id.substr(0, 2) + ":" + other.hw_id.substr(2, 2) + "-" + other.hw_id.substr(4);
  auto s = filter_delta(9, changes, device_filter(search));
  REQUIRE(s.added.size() == 1);
  CHECK(s.added[0].id == other.id);
}
