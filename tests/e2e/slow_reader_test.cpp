// A browser that stops reading while devices change: the gateway merges what it would have queued
// behind the stalled connection; once the browser reads again it gets every change, with the
// newest state, and no delta twice (docs/app-protocol.md, "Merged changes").

#include "tests/e2e/delta_reader.hpp"
#include "tests/e2e/sim_state.hpp"
#include "tests/hostile/raw_ws.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <thread>

using namespace mpk::test;
using namespace std::chrono_literals;

TEST_CASE("fan-out: a client that stops reading gets every change merged, newest state, nothing twice") {
  // Loopback TCP buffers can take up to ~4 MiB of a stalled connection (the send buffer grows
  // with the 64 KiB loopback segments): the gateway's own queue must be able to hold more.
  product_options po;
  po.max_queue_bytes = 24u << 20;
  product_fixture f(po);
  auto sim1 = sim_devices(f, "tenant1.example.com");
  REQUIRE(sim1.size() >= 2);
  {
    // The registry loads in the background: wait until tenant 1's user sees every device of it.
    auto [user, r] = f.user_client("tenant1.example.com", "admin1");
    REQUIRE(json_doc(r).boolean("ok") == true);
    REQUIRE(product_fixture::eventually([&] { return list_all(*user).size() == sim1.size(); }, 15s));
  }

  auto url = f.gateway_ws("tenant1.example.com");
  auto port = std::stoi(url.substr(url.rfind(':') + 1));
  raw_ws slow(port, url.substr(url.find('/', 5)), 4096);
  REQUIRE(slow.ok());
  REQUIRE(slow.send_text(R"({"mt":"AppChallenge"})"));
  auto ch = slow.next_containing("AppChallengeResult");
  REQUIRE(ch);
  REQUIRE(slow.send_text(product_fixture::operator_login(json_doc(*ch).str("challenge"))));
  auto login = slow.next_containing("AppLoginResult");
  REQUIRE(login);
  REQUIRE(json_doc(*login).boolean("ok") == true);
  REQUIRE(slow.send_text(R"({"mt":"QueryDevices","src":"live","subscribe":true,"limit":1})"));
  auto page = slow.next_containing("QueryDevicesResult");
  REQUIRE(page);
  auto first_seq = json_doc(*page).integer("seq").value_or(-1);
  REQUIRE(first_seq >= 0);

  // Stop reading, with far more queued for this client than the kernel buffers hold: 12 MiB of
  // full pages (their size measured on one).
  const std::string fill = R"({"mt":"QueryDevices","src":"fill","limit":500})";
  REQUIRE(slow.send_text(fill));
  auto one_page = slow.next_containing("QueryDevicesResult");
  REQUIRE(one_page);
  const int fill_pages = static_cast<int>((12u << 20) / one_page->size()) + 1;
  for (int i = 0; i < fill_pages; ++i) REQUIRE(slow.send_text(fill));
  // Stalled for sure once the gateway itself holds megabytes for it (the kernel buffers are full):
  // from then on a delta's write cannot complete, so the next ones merge.
  REQUIRE(
    product_fixture::eventually([&] { return f.gw->context().connections.most_queued_bytes() > (4u << 20); }, 30s));

  // A second client with the same list reads at once: when it has seen the last change, the
  // gateway has handled every change for the stalled one too (no guess at how long that takes).
  auto observer = f.operator_client();
  observer->send_text(R"({"mt":"QueryDevices","src":"live","subscribe":true,"limit":1})");
  REQUIRE(observer->next_mt("QueryDevicesResult", 10s));

  auto it = sim1.begin();
  auto renamed = *it++;
  auto deleted = *it;
  auto dom = sim_domain_id(f, "tenant1.example.com");
  // Each change waits until the registry published it, so the stalled client has many deltas to
  // merge (the devices-api link would merge pushes that arrive together).
  auto new_device = [&](const std::string& hw, const std::string& name) {
    auto body =
      R"({"hwId":")" + hw + R"(","name":")" + name + R"(","domainId":)" + std::to_string(dom) +
      R"(,"product":"IP222","version":"13r3 sr1 [13.5710/131286/1300]","type":"PHONE","online":true,"ipv4":"10.9.9.8"})";
    std::int64_t id = 0;
    REQUIRE(f.change_and_publish([&] { id = created_id(f.control("POST", "/control/device", body)); }));
    return id;
  };
  auto rename = [&](std::int64_t id, const std::string& name) {
    REQUIRE(f.change_and_publish([&] {
      REQUIRE(
        f.control("POST", "/control/device", R"({"id":)" + std::to_string(id) + R"(,"name":")" + name + "\"}").first ==
        200);
    }));
  };
  auto remove = [&](std::int64_t id) {
    REQUIRE(f.change_and_publish(
      [&] { REQUIRE(f.control("DELETE", "/control/device?instance=devices&id=" + std::to_string(id)).first == 200); }));
  };
  for (int i = 1; i <= 3; ++i) rename(renamed.second.id, "Slow reader " + std::to_string(i)); // changed ×3
  auto gone = new_device("0090330e5e01", "Came and went");                                    // added, removed
  remove(gone);
  auto kept = new_device("0090330e5e02", "Added"); // added, changed
  rename(kept, "Added then renamed");
  rename(deleted.second.id, "Renamed then removed"); // changed, removed
  remove(deleted.second.id);
  auto deleted_id = ":" + std::to_string(deleted.second.id);
  auto removed_deleted = [&](const applied& v) {
    for (auto& id : v.removed)
      if (id.size() > deleted_id.size() &&
          id.compare(id.size() - deleted_id.size(), deleted_id.size(), deleted_id) == 0)
        return true;
    return false;
  };
  applied seen;
  for (auto until = std::chrono::steady_clock::now() + 30s;
       !removed_deleted(seen) && std::chrono::steady_clock::now() < until;)
    if (auto fr = observer->next_mt("DevicesChanged", 1s)) apply_frame(seen, *fr);
  REQUIRE(removed_deleted(seen));
  REQUIRE_FALSE(seen.ranges.empty());
  auto last_seq = seen.ranges.back().second;

  // Read again: the pages, then the deltas up to the observer's last.
  applied a;
  int pages = 0;
  for (auto until = std::chrono::steady_clock::now() + 30s; std::chrono::steady_clock::now() < until;) {
    if (pages == fill_pages && !a.ranges.empty() && a.ranges.back().second >= last_seq) break;
    auto fr = slow.next(2s);
    if (!fr) continue;
    if (fr->payload.find("\"mt\":\"QueryDevicesResult\"") != std::string::npos)
      ++pages;
    else if (fr->payload.find("\"mt\":\"DevicesChanged\"") != std::string::npos)
      apply_frame(a, fr->payload);
  }
  CHECK_FALSE(slow.next(500ms)); // nothing after the last change, nothing twice
  CHECK(pages == fill_pages);
  CHECK(a.merged >= 1); // the stalled connection had deltas merged
  CHECK_FALSE(a.id_twice_in_a_frame);
  // Every seq after the page exactly once: the ranges follow each other without gap or overlap.
  REQUIRE_FALSE(a.ranges.empty());
  CHECK(a.ranges.front().first == first_seq + 1);
  for (std::size_t i = 1; i < a.ranges.size(); ++i) CHECK(a.ranges[i].first == a.ranges[i - 1].second + 1);

  // The newest state of every device touched, as the simulator has it.
  auto now = sim_devices(f, "tenant1.example.com");
  auto named = [&](const std::string& name) {
    for (auto& [id, n] : a.name_by_id)
      if (n == name) return true;
    return false;
  };
  CHECK(named("Slow reader 3"));
  CHECK_FALSE(named("Slow reader 1"));
  CHECK_FALSE(named("Slow reader 2"));
  CHECK(named("Added then renamed"));
  CHECK_FALSE(named("Added"));
  CHECK_FALSE(named("Came and went")); // added and removed while stalled: never shown
  CHECK_FALSE(named("Renamed then removed"));
  CHECK(a.removed.size() == 1); // the removed device, once
  CHECK(now.count("0090330e5e02") == 1);
  CHECK(now.count("0090330e5e01") == 0);
  CHECK(now.count(deleted.first) == 0);
}
