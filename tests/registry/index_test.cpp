// The ordered index alone: patches in place, collected batches (inserts erased or replaced again
// before they are settled, erases of listed entries) and reads, against a plain sorted reference.

#include "services/registry/device_index.hpp"
#include "tests/registry/synth.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

using namespace mpk;
using namespace mpk::registry;

namespace {

/// The strings of the test's entries (a model keeps its own).
string_pool pool;

/// The ids in list order as the index has them, and as a plain sort of `live` gives them.
std::vector<std::string> listed(const device_index& ix) {
  std::vector<std::string> out;
  for (const auto* e : ix.ordered()) out.push_back(e->id());
  return out;
}

std::vector<std::string> reference(const std::map<std::int64_t, entry_ptr>& live) {
  std::vector<const device_entry*> v;
  for (auto& [n, e] : live) v.push_back(e.get());
  std::sort(v.begin(), v.end(), entry_order{});
  std::vector<std::string> out;
  for (const auto* e : v) out.push_back(e->id());
  return out;
}

entry_ptr make(std::int64_t n, const std::string& name) {
  auto d = test::synth_device("l", n, 3);
  d.domain_name = "Domain " + std::to_string(n % 3);
  d.name = name;
  return make_entry(d, pool);
}

/// Rounds of random inserts, erases and replaces over device numbers 1..ids: every third round
/// `small` operations (patched in place), the others `big` (collected, settled on the read).
/// After each round the list and a search through the index match a plain sort and filter.
void churn(int ids, int rounds, int small, int big) {
  device_index ix;
  std::map<std::int64_t, entry_ptr> live;
  std::uint64_t x = 0x9e3779b97f4a7c15ull;
  auto rnd = [&](std::uint64_t n) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    return x % n;
  };
  device_query q;
  q.search = "name 1";
  device_filter f(q);
  for (int round = 0; round < rounds; ++round) {
    int ops = round % 3 == 0 ? small : big;
    for (int k = 0; k < ops; ++k) {
      auto n = static_cast<std::int64_t>(1 + rnd(static_cast<std::uint64_t>(ids)));
      auto it = live.find(n);
      auto name = "Name " + std::to_string(rnd(50));
      if (it == live.end()) {
        auto e = make(n, name);
        ix.insert(e.get());
        live[n] = e;
      } else if (rnd(3) == 0) {
        ix.erase(it->second);
        live.erase(it);
      } else {
        // Either the same place (online flip) or a move (new name).
        auto d = it->second->record();
        if (rnd(2))
          d.online = !d.online;
        else
          d.name = name;
        auto now = make_entry(d, pool);
        ix.replace(it->second, now.get());
        it->second = now;
      }
    }
    INFO("round " << round);
    REQUIRE(ix.size() == live.size());
    auto want = reference(live);
    CHECK(listed(ix) == want);
    std::vector<std::string> found, matching;
    ix.scan(f, 0, ix.size(), [&](const device_entry* e) { found.push_back(e->id()); });
    for (const auto* e : ix.ordered())
      if (f.matches(*e)) matching.push_back(e->id());
    CHECK(found == matching);
    // The counts kept per block version: a count and a page after the changes of this round.
    CHECK(ix.page(f, 0, ix.size(), 0, 0, [](const device_entry*) {}) == matching.size());
    std::vector<std::string> page, want_page;
    auto total = ix.page(f, 0, ix.size(), 7, 20, [&](const device_entry* e) { page.push_back(e->id()); });
    for (std::size_t i = 7; i < matching.size() && want_page.size() < 20; ++i) want_page.push_back(matching[i]);
    CHECK(total == matching.size());
    CHECK(page == want_page);
  }
}

} // namespace

TEST_CASE("index: batches with inserts undone, replaced and erased before a read stay in list order") {
  churn(600, 60, 10, 400);
}

TEST_CASE("index: a list of many blocks stays in order through patches, splits, emptied blocks and batches") {
  // Over 8 blocks' worth of devices: patched inserts split blocks, erases empty them.
  churn(6 * static_cast<int>(device_index::block_size), 24, 30, 3000);
}

TEST_CASE("index: pages and domain runs read across block boundaries") {
  device_index ix;
  std::vector<entry_ptr> held;
  for (std::int64_t n = 1; n <= 3000; ++n) {
    held.push_back(make(n, "Name " + std::to_string(n % 977)));
    ix.insert(held.back().get());
  }
  auto all = ix.ordered();
  REQUIRE(all.size() == 3000);
  std::vector<const device_entry*> page;
  ix.visit(500, 1700, [&](const device_entry* e) { page.push_back(e); });
  CHECK(page == std::vector<const device_entry*>(all.begin() + 500, all.begin() + 1700));
  for (const char* d : {"domain 0", "domain 1", "domain 2"}) {
    auto [lo, hi] = ix.domain_run(d);
    auto first =
      std::find_if(all.begin(), all.end(), [&](const device_entry* e) { return e->domain_name->lower == d; });
    auto count =
      std::count_if(all.begin(), all.end(), [&](const device_entry* e) { return e->domain_name->lower == d; });
    CHECK(lo == static_cast<std::size_t>(first - all.begin()));
    CHECK(hi - lo == static_cast<std::size_t>(count));
  }
  CHECK(ix.domain_run("no such domain").first == ix.domain_run("no such domain").second);
}
