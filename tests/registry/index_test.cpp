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

} // namespace

TEST_CASE("index: batches with inserts undone, replaced and erased before a read stay in list order") {
  device_index ix;
  std::map<std::int64_t, entry_ptr> live;
  std::uint64_t x = 0x9e3779b97f4a7c15ull;
  auto rnd = [&](std::uint64_t n) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    return x % n;
  };
  for (int round = 0; round < 60; ++round) {
    // Small rounds are patched in place, big ones collected and settled on the read.
    int ops = round % 3 == 0 ? 10 : 400;
    for (int k = 0; k < ops; ++k) {
      auto n = static_cast<std::int64_t>(1 + rnd(600));
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
        if (rnd(2)) d.online = !d.online;
        else d.name = name;
        auto now = make_entry(d, pool);
        ix.replace(it->second, now.get());
        it->second = now;
      }
    }
    INFO("round " << round);
    REQUIRE(ix.size() == live.size());
    CHECK(listed(ix) == reference(live));
  }
}
