// The registry model alone: filters, search, paging and order at 100,000 devices against a
// naive reference; snapshot differences; stale marking; domains; tenant scope.

#include "services/registry/device_model.hpp"
#include "tests/registry/synth.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace mpk;
using namespace mpk::registry;

namespace {

/// The model with `per_link` devices in each of two links of tenants t1 and t2.
device_model two_tenants(std::size_t per_link) {
  device_model m;
  for (auto [link, tenant] : {std::pair{"t1/devices", "t1"}, std::pair{"t2/devices", "t2"}}) {
    auto s = test::synth_snapshot(link, tenant, per_link);
    m.replace_link(link, tenant, s.domains, s.devices);
  }
  return m;
}

/// The reference answer: the devices of `every` that match, in reference order.
std::vector<device_record> reference(const std::vector<device_record>& every, const device_query& q) {
  std::vector<device_record> out;
  for (auto& d : every)
    if (test::naive_match(d, q)) out.push_back(d);
  std::stable_sort(out.begin(), out.end(), test::naive_less);
  return out;
}

/// Every device of the model, read id by id (not through the index under test).
std::vector<device_record> every_device(const device_model& m, const std::vector<std::string>& links,
                                        std::int64_t max_id) {
  std::vector<device_record> out;
  for (const auto& l : links)
    for (std::int64_t n = 1; n <= max_id; ++n)
      if (auto e = m.find(l + ":" + std::to_string(n))) out.push_back(e->record());
  return out;
}

std::vector<std::string> ids(const std::vector<device_record>& v) {
  std::vector<std::string> out;
  for (auto& d : v) out.push_back(d.id);
  return out;
}

/// Checks total and the page at `offset` against the reference.
void check_query(const device_model& m, device_query q, const std::vector<device_record>& ref) {
  auto page = m.query(q);
  CHECK(page.total == ref.size());
  std::vector<device_record> want;
  for (std::size_t i = q.offset; i < ref.size() && want.size() < q.limit; ++i) want.push_back(ref[i]);
  CHECK(ids(page.devices) == ids(want));
}

} // namespace

TEST_CASE("model: 100,000 devices, search by each field is case-insensitive and matches the reference") {
  auto m = two_tenants(50000);
  REQUIRE(m.size() == 100000);
  auto every = every_device(m, {"t1/devices", "t2/devices"}, 50000);
  struct probe {
    const char* what;
    std::string term;
  };
  // Name (mixed case in the data), product, ip, hwId (plain and as a typed MAC), version.
  std::vector<probe> probes{
    {"name", "lobby 12"},
    {"name upper", "RECEPTION 4"},
    {"product", "ip232"},
    {"ip", "10.0.3."},
    {"hwId", "0090330001a"},
    {"MAC with colons", "00:90:33:00:01:a"},
    {"MAC with dashes", "00-90-33-00-c3"},
    {"version", "13R2 SR16"},
    {"nothing", "no such device"},
  };
  for (const auto& p : probes) {
    INFO(p.what << ": " << p.term);
    device_query q;
    q.search = p.term;
    q.limit = 50;
    auto ref = reference(every, q);
    if (std::string(p.what) != "nothing") CHECK(!ref.empty());
    check_query(m, q, ref);
    q.offset = static_cast<std::uint32_t>(ref.size() / 2);
    check_query(m, q, ref);
  }
}

TEST_CASE("model: filters by tenant, domain and online combine with search and paging") {
  auto m = two_tenants(50000);
  auto every = every_device(m, {"t1/devices", "t2/devices"}, 50000);
  device_query q;
  q.tenants = {"t2"};
  q.online = 1;
  q.search = "office";
  q.limit = 100;
  auto ref = reference(every, q);
  REQUIRE(!ref.empty());
  for (auto& d : ref) {
    CHECK(d.tenant == "t2");
    CHECK(d.online);
  }
  for (std::uint32_t off :
       {0u, 100u, static_cast<std::uint32_t>(ref.size() - 3), static_cast<std::uint32_t>(ref.size() + 5)}) {
    q.offset = off;
    check_query(m, q, ref);
  }
  device_query dom;
  dom.domain = "t1/devices:7";
  dom.online = 0;
  dom.limit = 1000;
  auto dref = reference(every, dom);
  REQUIRE(!dref.empty());
  for (auto& d : dref) CHECK(d.domain_id == "t1/devices:7");
  check_query(m, dom, dref);
  dom.offset = 999;
  check_query(m, dom, dref);
}

TEST_CASE("model: unfiltered pages walk the whole list in stable order without overlap") {
  auto m = two_tenants(2000);
  device_query q;
  q.limit = 333;
  std::vector<device_record> all;
  for (q.offset = 0; q.offset < 4000; q.offset += q.limit) {
    auto p = m.query(q);
    CHECK(p.total == 4000);
    all.insert(all.end(), p.devices.begin(), p.devices.end());
  }
  REQUIRE(all.size() == 4000);
  CHECK(std::is_sorted(all.begin(), all.end(), test::naive_less));
  auto sorted_ids = ids(all);
  std::sort(sorted_ids.begin(), sorted_ids.end());
  CHECK(std::unique(sorted_ids.begin(), sorted_ids.end()) == sorted_ids.end());
  // A limit beyond the maximum is capped, not honoured.
  q.offset = 0;
  q.limit = 1000000;
  CHECK(m.query(q).devices.size() == device_model::max_page);
}

TEST_CASE("model: a snapshot after a reconnect yields only the differences") {
  device_model m;
  auto s = test::synth_snapshot("t1/d", "t1", 100, 5);
  auto first = m.replace_link("t1/d", "t1", s.domains, s.devices);
  CHECK(first.size() == 100);
  CHECK(std::all_of(first.begin(), first.end(), [](const change& c) { return !c.before && c.after; }));

  // The same snapshot again: nothing changed.
  CHECK(m.replace_link("t1/d", "t1", s.domains, s.devices).empty());

  // While "down": 7 renamed, 3 gone, 2 new, 1 went offline.
  auto next = s;
  for (int i = 0; i < 7; ++i) next.devices[static_cast<std::size_t>(i)].name = "renamed " + std::to_string(i);
  next.devices.erase(next.devices.begin() + 50, next.devices.begin() + 53);
  next.devices.push_back(test::synth_device("t1/d", 101, 5));
  next.devices.push_back(test::synth_device("t1/d", 102, 5));
  next.devices[20].online = !next.devices[20].online;
  auto diff = m.replace_link("t1/d", "t1", next.domains, next.devices);
  std::size_t added = 0, changed = 0, removed = 0;
  for (auto& c : diff) {
    if (!c.before)
      ++added;
    else if (!c.after)
      ++removed;
    else
      ++changed;
  }
  CHECK(added == 2);
  CHECK(changed == 8);
  CHECK(removed == 3);
  CHECK(m.size() == 99);
  CHECK(m.find("t1/d:51") == nullptr);
  REQUIRE(m.find("t1/d:1") != nullptr);
  CHECK(m.find("t1/d:1")->record().name == "renamed 0");
}

TEST_CASE("model: a link that goes down keeps its devices, marked stale, the next snapshot refreshes them") {
  device_model m;
  auto s = test::synth_snapshot("t1/d", "t1", 10, 2);
  m.replace_link("t1/d", "t1", s.domains, s.devices);
  auto other = test::synth_snapshot("t2/d", "t2", 5, 2);
  m.replace_link("t2/d", "t2", other.domains, other.devices);

  auto stale = m.set_stale("t1/d", true);
  CHECK(stale.size() == 10);
  for (auto& c : stale) {
    CHECK(c.before->record().stale == false);
    CHECK(c.after->record().stale == true);
  }
  CHECK(m.size() == 15);
  CHECK(m.find("t1/d:3")->record().stale);
  CHECK_FALSE(m.find("t2/d:3")->record().stale); // the other link is not affected
  CHECK(m.set_stale("t1/d", true).empty());      // already stale: nothing new
  for (auto& d : m.domains({"t1"})) CHECK(d.stale);

  // Back up with one change made meanwhile: every device changes (stale → fresh), one also in content.
  s.devices[0].online = !s.devices[0].online;
  auto fresh = m.replace_link("t1/d", "t1", s.domains, s.devices);
  CHECK(fresh.size() == 10);
  CHECK_FALSE(m.find("t1/d:1")->record().stale);
  CHECK(m.find("t1/d:1")->record().online == s.devices[0].online);
  for (auto& d : m.domains({"t1"})) CHECK_FALSE(d.stale);
}

TEST_CASE("model: deltas upsert and remove, domain counts and names follow") {
  device_model m;
  auto s = test::synth_snapshot("t1/d", "t1", 30, 3);
  m.replace_link("t1/d", "t1", s.domains, s.devices);
  auto before = m.domains({});
  REQUIRE(before.size() == 3);
  std::uint32_t total = 0;
  for (auto& d : before) total += d.total;
  CHECK(total == 30);

  link_update u;
  u.kind = link_update_kind::delta;
  auto moved = *m.find("t1/d:4");
  device_record d4 = moved.record();
  d4.online = !d4.online;
  u.devices.push_back(d4);
  u.devices.push_back(test::synth_device("t1/d", 31, 3));
  u.removed_devices.push_back("t1/d:5");
  domain_summary renamed = s.domains[0];
  renamed.name = "Zeta";
  u.domains.push_back(renamed);
  auto ch = m.apply_delta("t1/d", "t1", u);
  CHECK(m.size() == 30);
  CHECK(m.find("t1/d:5") == nullptr);
  CHECK(m.find("t1/d:31") != nullptr);
  CHECK(m.find("t1/d:4")->record().online == d4.online);
  // Every device of the renamed domain carries the new name (and moved to the end of the order).
  for (auto& c : ch)
    if (c.after && c.after->record().domain_id == renamed.id) CHECK(c.after->record().domain_name == "Zeta");
  device_query q;
  q.limit = 1000;
  auto page = m.query(q);
  CHECK(page.devices.back().domain_name == "Zeta");
  std::uint32_t online = 0;
  total = 0;
  for (auto& d : m.domains({"t1"})) total += d.total, online += d.online;
  CHECK(total == 30);
  std::uint32_t expect_online = 0;
  for (auto& d : page.devices) expect_online += d.online;
  CHECK(online == expect_online);
}

TEST_CASE("model: removing a link removes its devices and domains only") {
  auto m = two_tenants(100);
  auto gone = m.remove_link("t1/devices");
  CHECK(gone.size() == 100);
  CHECK(m.size() == 100);
  CHECK(m.domains({"t1"}).empty());
  CHECK(m.domains({}).size() == 20);
  CHECK(m.remove_link("t1/devices").empty());
}

TEST_CASE("model: tenant scope of queries and domains") {
  auto m = two_tenants(500);
  device_query q;
  q.tenants = {"t1"};
  q.limit = 1000;
  auto p = m.query(q);
  CHECK(p.total == 500);
  for (auto& d : p.devices) CHECK(d.tenant == "t1");
  q.tenants = {"t3"};
  CHECK(m.query(q).total == 0);
  q.tenants = {"t1", "t2"};
  CHECK(m.query(q).total == 1000);
  for (auto& d : m.domains({"t2"})) CHECK(d.tenant == "t2");
}

TEST_CASE("model: random pushes interleaved with queries always agree with the reference") {
  // Exercises the index's in-place patches (online, IP) and its lazy rebuilds (add, remove, rename).
  device_model m;
  auto s = test::synth_snapshot("t1/d", "t1", 3000, 7);
  m.replace_link("t1/d", "t1", s.domains, s.devices);
  std::uint64_t x = 88172645463325252ull; // xorshift: deterministic
  auto rnd = [&](std::uint64_t n) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    return x % n;
  };
  std::int64_t next_id = 3001;
  const char* terms[] = {"", "lobby", "ip2", "10.0.1", "00:90:33:00:0", "13r3", "zz", "office 1", "70.", "70.0"};
  for (int round = 0; round < 300; ++round) {
    link_update u;
    u.kind = link_update_kind::delta;
    // Every other round changes devices only in place, so the patched flat index is queried too.
    const bool in_place_only = round % 2 == 1;
    for (int k = 0; k < 5; ++k) {
      auto n = static_cast<std::int64_t>(1 + rnd(static_cast<std::uint64_t>(next_id)));
      auto e = m.find("t1/d:" + std::to_string(n));
      switch (in_place_only ? rnd(2) : rnd(5)) {
        case 0: // online flip (same place in the list)
          if (e) {
            auto d = e->record();
            d.online = !d.online;
            u.devices.push_back(d);
          }
          break;
        case 1: // new IP of the same length
          if (e) {
            auto d = e->record();
            d.ip[0] = d.ip[0] == '1' ? '7' : '1'; // "10.x.y.z" <-> "70.x.y.z": found by "70." only after
            u.devices.push_back(d);
          }
          break;
        case 2: // rename: moves in the list
          if (e) {
            auto d = e->record();
            d.name = (rnd(2) ? "Lobby " : "aaa ") + std::to_string(rnd(1000));
            u.devices.push_back(d);
          }
          break;
        case 3: u.removed_devices.push_back("t1/d:" + std::to_string(n)); break;
        default: u.devices.push_back(test::synth_device("t1/d", next_id++, 7));
      }
    }
    // Now and then a burst bigger than the index patches in place: it rebuilds on the next read.
    if (round % 50 == 25)
      for (int k = 0; k < 40; ++k) u.devices.push_back(test::synth_device("t1/d", next_id++, 7));
    // Upserts of removed ids would undo the removal: keep the two apart as a link does.
    for (auto& r : u.removed_devices)
      u.devices.erase(std::remove_if(u.devices.begin(), u.devices.end(), [&](auto& d) { return d.id == r; }),
                      u.devices.end());
    m.apply_delta("t1/d", "t1", u);
    device_query q;
    q.search = terms[rnd(std::size(terms))];
    q.online = static_cast<std::int8_t>(static_cast<int>(rnd(3)) - 1);
    // Now and then one domain: its run starts and ends inside blocks of the index.
    if (rnd(3) == 0) q.domain = "t1/d:" + std::to_string(1 + rnd(7));
    q.limit = 40;
    auto ref = reference(every_device(m, {"t1/d"}, next_id), q);
    q.offset = static_cast<std::uint32_t>(rnd(ref.size() + 1));
    INFO("round " << round << " search '" << q.search << "' online " << int(q.online) << " domain " << q.domain);
    check_query(m, q, ref);
  }
}

TEST_CASE("model: a snapshot is listed in order when names share long prefixes and domains differ in case only") {
  device_model m;
  link_update s;
  s.domains = test::synth_domains("t1/d", 2);
  s.domains[0].name = "Same Domain";
  s.domains[1].name = "same domain"; // equal lowercase: the order falls through to name and id
  // Names equal in their first 16 bytes and beyond: the sort's integer keys tie, strings decide.
  const char* names[] = {"A very long device name 2",
                         "a very long device name 10",
                         "A VERY LONG DEVICE NAME 1",
                         "a very long device nam",
                         "a very long device name",
                         "B",
                         "a"};
  std::int64_t n = 0;
  for (int round = 0; round < 3; ++round)
    for (const char* name : names) {
      auto d = test::synth_device("t1/d", ++n, 2);
      d.name = name;
      s.devices.push_back(d);
    }
  m.replace_link("t1/d", "t1", s.domains, s.devices);
  device_query q;
  q.limit = 100;
  check_query(m, q, reference(every_device(m, {"t1/d"}, n), q));
}

TEST_CASE("model: ids are found only in their exact form") {
  device_model m;
  auto s = test::synth_snapshot("t1/d", "t1", 10, 2);
  m.replace_link("t1/d", "t1", s.domains, s.devices);
  CHECK(m.find("t1/d:7") != nullptr);
  CHECK(m.find("t1/d:07") == nullptr);
  CHECK(m.find("t1/d:+7") == nullptr);
  CHECK(m.find("t1/d:7x") == nullptr);
  CHECK(m.find("t1/d:") == nullptr);
  CHECK(m.find("t2/d:7") == nullptr);
  CHECK(m.find("7") == nullptr);
  // A removal names the device by its id: a malformed one removes nothing.
  link_update u;
  u.removed_devices = {"t1/d:07", "t2/d:7", "t1/d:8"};
  auto out = m.apply_delta("t1/d", "t1", u);
  REQUIRE(out.size() == 1);
  CHECK(out[0].before->record().id == "t1/d:8");
  CHECK(m.size() == 9);
}
