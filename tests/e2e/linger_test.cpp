// gateway.fanout-linger-ms: a device change after a quiet spell goes out at once and alone; the
// changes that follow it sooner than the linger wait and go out merged, every seq once, with the
// newest state (docs/app-protocol.md, "Merged changes"; docs/performance.md, round 5).

#include "tests/e2e/delta_reader.hpp"
#include "tests/e2e/sim_state.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace mpk::test;
using namespace std::chrono_literals;

TEST_CASE("fan-out: with a linger, a change after quiet goes alone, quick ones after it arrive merged, once each") {
  product_options po;
  po.fanout_linger = 1000ms; // long, so that the quick renames below share a window even on a loaded machine
  product_fixture f(po);
  auto devices = sim_devices(f, "tenant1.example.com");
  REQUIRE(devices.size() >= 2);
  auto [user, r] = f.user_client("tenant1.example.com", "admin1");
  REQUIRE(json_doc(r).boolean("ok") == true);
  REQUIRE(product_fixture::eventually([&] { return list_all(*user).size() == devices.size(); }, 15s));

  user->send_text(R"({"mt":"QueryDevices","src":"live","subscribe":true,"limit":1})");
  auto page = user->next_mt("QueryDevicesResult", 10s);
  REQUIRE(page);
  auto first_seq = json_doc(*page).integer("seq").value_or(-1);
  REQUIRE(first_seq >= 0);
  // Quiet for longer than the linger: other changes (phones coming online while a loaded machine
  // is still starting them) would open a linger window of their own before the first rename.
  while (auto other = user->next_mt("DevicesChanged", 1200ms))
    first_seq = std::max(first_seq, json_doc(*other).integer("seq").value_or(first_seq));

  // Each rename waits until the registry published it: a delta of its own.
  auto it = devices.begin();
  auto one = it->second.id;
  auto other = (++it)->second.id;
  auto rename = [&](std::int64_t id, const std::string& name) {
    REQUIRE(f.change_and_publish([&] {
      REQUIRE(
        f.control("POST", "/control/device", R"({"id":)" + std::to_string(id) + R"(,"name":")" + name + "\"}").first ==
        200);
    }));
  };

  // One change, then quick ones right after it: the first goes out at once and alone (were it
  // held, the quick ones would merge into it); the quick ones wait for the end of the linger.
  const int quick = 6;
  rename(one, "Linger 0");
  for (int i = 1; i <= quick; ++i) rename(i % 2 ? one : other, "Linger " + std::to_string(i));
  auto last_seq = static_cast<std::int64_t>(f.registry_seq());
  REQUIRE(last_seq >= first_seq + 1 + quick); // at least one seq per rename

  auto alone = user->next_mt("DevicesChanged", 10s);
  REQUIRE(alone);
  applied a;
  apply_frame(a, *alone);
  CHECK(a.merged == 0);
  CHECK(a.ranges.front() == std::make_pair(first_seq + 1, first_seq + 1));
  while (a.ranges.back().second < last_seq) {
    auto fr = user->next_mt("DevicesChanged", 10s);
    REQUIRE(fr);
    apply_frame(a, *fr);
  }
  CHECK(a.merged >= 1);
  CHECK(static_cast<std::int64_t>(a.ranges.size()) < last_seq - first_seq); // fewer messages than changes
  CHECK_FALSE(a.id_twice_in_a_frame);
  // Every seq after the page exactly once, in order.
  for (std::size_t i = 1; i < a.ranges.size(); ++i) CHECK(a.ranges[i].first == a.ranges[i - 1].second + 1);
  CHECK(a.ranges.back().second == last_seq);
  // The newest names: the last odd rename for one, the last even one for the other.
  CHECK(a.name_by_id.size() == 2);
  bool newest_one = false, newest_other = false;
  for (auto& [id, name] : a.name_by_id) {
    newest_one = newest_one || name == "Linger 5";
    newest_other = newest_other || name == "Linger 6";
  }
  CHECK(newest_one);
  CHECK(newest_other);
  CHECK_FALSE(user->next_mt("DevicesChanged", 1500ms)); // nothing more, nothing twice
}
