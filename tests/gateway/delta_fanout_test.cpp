// The device list fan-out of the gateway without a network: deltas encoded once per filter and
// shared (delta_encoding), and the merge of deltas for a client whose connection lags (delta_merge).

#include "services/gateway/delta_encoding.hpp"
#include "services/gateway/delta_merge.hpp"
#include "tests/sim/ws_client.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <thread>

using namespace mpk;
using namespace mpk::gateway;

namespace {

device_record dev(const std::string& id, const std::string& name, const std::string& tenant = "t1") {
  device_record d;
  d.id = id;
  d.name = name;
  d.tenant = tenant;
  d.product = "IP232";
  d.online = true;
  return d;
}

device_delta delta(std::uint64_t seq, std::vector<device_record> added, std::vector<device_record> changed,
                   std::vector<device_record> removed) {
  device_delta d;
  d.seq = seq;
  d.added = std::move(added);
  d.changed = std::move(changed);
  d.removed = std::move(removed);
  return d;
}

device_query scope(std::vector<std::string> tenants, std::string search = "") {
  device_query q;
  q.tenants = std::move(tenants);
  q.search = std::move(search);
  return q;
}

/// The merged message as a client would read it.
struct reading {
  std::int64_t seq = 0, from = 0;
  std::vector<std::string> added, changed, removed; ///< added/changed as "id=name"
};

reading read(const std::string& body) {
  test::json_doc doc("{" + body);
  REQUIRE(doc.ok);
  reading r;
  r.seq = doc.integer("seq").value_or(-1);
  r.from = doc.integer("from").value_or(0);
  auto list = [&](const char* key, std::vector<std::string>& out, bool objects) {
    simdjson::dom::array a;
    REQUIRE_FALSE(doc.root[key].get(a));
    for (auto x : a) {
      std::string_view id, name;
      if (objects) {
        REQUIRE_FALSE(x["id"].get(id));
        REQUIRE_FALSE(x["name"].get(name));
        out.push_back(std::string(id) + "=" + std::string(name));
      } else {
        REQUIRE_FALSE(x.get(id));
        out.push_back(std::string(id));
      }
    }
  };
  list("added", r.added, true);
  list("changed", r.changed, true);
  list("removed", r.removed, false);
  return r;
}

using strings = std::vector<std::string>;

} // namespace

TEST_CASE("delta encoding: one body per seq and filter, shared by every client of that filter") {
  delta_encoding_cache cache;
  caf::actor_addr registry; // (a null source stands for one registry)
  auto d = delta(5, {dev("a", "Alpha")}, {dev("b", "Beta")}, {dev("c", "Gone")});
  auto f = filter_identity(scope({"t1"}));
  auto one = cache.get(registry, f, d, nullptr);
  auto two = cache.get(registry, f, d, nullptr);
  CHECK(one == two);
  CHECK(one->body == two->body);
  CHECK(cache.hits() == 1);
  auto r = read(*one->body);
  CHECK(r.seq == 5);
  CHECK(r.from == 0);
  CHECK(r.added == strings{"a=Alpha"});
  CHECK(r.changed == strings{"b=Beta"});
  CHECK(r.removed == strings{"c"});
}

TEST_CASE("delta encoding: another filter gets its own body, devices are encoded once per seq") {
  delta_encoding_cache cache;
  caf::actor_addr registry;
  // The same seq as two filters see it: the device enters one list and changes in the other.
  auto seen_by_search = delta(9, {dev("a", "Alpha 2")}, {}, {});
  auto seen_by_all = delta(9, {}, {dev("a", "Alpha 2")}, {});
  auto by_search = cache.get(registry, filter_identity(scope({"t1"}, "alpha")), seen_by_search, nullptr);
  auto by_all = cache.get(registry, filter_identity(scope({"t1"})), seen_by_all, nullptr);
  CHECK(by_search != by_all);
  CHECK(read(*by_search->body).added == strings{"a=Alpha 2"});
  CHECK(read(*by_all->body).changed == strings{"a=Alpha 2"});
  CHECK(cache.device_encodings() == 1);
  CHECK(by_search->added[0].json == by_all->changed[0].json);
}

TEST_CASE("delta encoding: tenants, domains and registries never share a body") {
  CHECK(filter_identity(scope({"t1"})) != filter_identity(scope({"t2"})));
  CHECK(filter_identity(scope({"t1", "t2"})) != filter_identity(scope({"t1t2"})));
  CHECK(filter_identity(scope({})) != filter_identity(scope({"t1"})));
  device_query in_domain = scope({"t1"});
  in_domain.domain = "d1";
  CHECK(filter_identity(in_domain) != filter_identity(scope({"t1"})));
  device_query online = scope({"t1"});
  online.online = 1;
  CHECK(filter_identity(online) != filter_identity(scope({"t1"})));
  CHECK(filter_identity(scope({"t1"}, "x")) != filter_identity(scope({"t1"})));

  delta_encoding_cache cache;
  auto f1 = filter_identity(scope({"t1"})), f2 = filter_identity(scope({"t2"}));
  auto t1 = cache.get({}, f1, delta(3, {}, {dev("a", "Tenant one", "t1")}, {}), nullptr);
  auto t2 = cache.get({}, f2, delta(3, {}, {dev("z", "Tenant two", "t2")}, {}), nullptr);
  CHECK(read(*t1->body).changed == strings{"a=Tenant one"});
  CHECK(read(*t2->body).changed == strings{"z=Tenant two"});

  // A restarted registry counts from 1 again: its seq 3 is not the old one's.
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto reborn = sys.spawn([](caf::event_based_actor*) -> caf::behavior { return {[](int) {}}; });
  auto again = cache.get(reborn.address(), f1, delta(3, {}, {dev("a", "New registry", "t1")}, {}), nullptr);
  CHECK(read(*again->body).changed == strings{"a=New registry"});
  caf::anon_send_exit(reborn, caf::exit_reason::user_shutdown);
}

TEST_CASE("delta encoding: only the newest seqs are kept") {
  delta_encoding_cache cache(4);
  auto f = filter_identity(scope({}));
  for (std::uint64_t s = 1; s <= 10; ++s)
    cache.get({}, f, delta(s, {}, {dev("a", "n" + std::to_string(s))}, {}), nullptr);
  CHECK(cache.seqs() == 4);
  cache.get({}, f, delta(10, {}, {dev("a", "n10")}, {}), nullptr);
  CHECK(cache.hits() == 1); // 10 is still there
  cache.get({}, f, delta(2, {}, {dev("a", "n2")}, {}), nullptr);
  CHECK(cache.hits() == 1); // 2 was dropped: encoded again
}

TEST_CASE("delta encoding: clients on many threads get one shared body per filter") {
  delta_encoding_cache cache;
  auto d = delta(1, {}, {dev("a", "Alpha")}, {});
  auto f = filter_identity(scope({}));
  std::vector<std::shared_ptr<const encoded_delta>> got(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < got.size(); ++i)
    threads.emplace_back([&, i] {
      for (int k = 0; k < 200; ++k) got[i] = cache.get({}, f, d, nullptr);
    });
  for (auto& t : threads) t.join();
  for (auto& g : got) CHECK(g == got[0]);
}

TEST_CASE("delta merge: one delta goes out as its shared body") {
  delta_encoding_cache cache;
  auto enc = cache.get({}, "f", delta(4, {dev("a", "A")}, {}, {}), nullptr);
  delta_merge m;
  CHECK(m.empty());
  m.add(enc);
  CHECK(m.body() == enc->body); // the same buffer, not a copy
  m.clear();
  CHECK(m.empty());
  CHECK(m.body() == nullptr);
}

TEST_CASE("delta merge: the rule per device, newest seq and the first as from") {
  delta_encoding_cache cache;
  auto add = [&](delta_merge& m, device_delta d) { m.add(cache.get({}, "f", d, nullptr)); };
  delta_merge m;
  // seq 1: a, b added; c, d, e changed; f removed
  add(m,
      delta(1, {dev("a", "a1"), dev("b", "b1")}, {dev("c", "c1"), dev("d", "d1"), dev("e", "e1")}, {dev("f", "f0")}));
  // seq 2: a changed (added+changed → added new), b removed (added+removed → nothing),
  //        c changed (changed+changed → changed new), d removed (changed+removed → removed),
  //        f added again (removed+added → changed new), g added (new)
  add(m,
      delta(2, {dev("f", "f2"), dev("g", "g2")}, {dev("a", "a2"), dev("c", "c2")}, {dev("b", "b1"), dev("d", "d1")}));
  CHECK(m.deltas() == 2);
  auto r = read(*m.body());
  CHECK(r.seq == 2);
  CHECK(r.from == 1);
  CHECK(r.added == strings{"a=a2", "g=g2"});
  std::sort(r.changed.begin(), r.changed.end()); // (the order within a list carries no meaning)
  CHECK(r.changed == strings{"c=c2", "e=e1", "f=f2"});
  CHECK(r.removed == strings{"d"});
}

TEST_CASE("delta merge: a device that came and went and came again is added with its last state") {
  delta_encoding_cache cache;
  auto add = [&](delta_merge& m, device_delta d) { m.add(cache.get({}, "f", d, nullptr)); };
  delta_merge m;
  add(m, delta(7, {dev("x", "x1")}, {}, {}));
  add(m, delta(8, {}, {}, {dev("x", "x1")}));
  add(m, delta(9, {dev("x", "x3")}, {}, {}));
  add(m, delta(10, {}, {}, {dev("y", "y0")}));
  add(m, delta(11, {dev("y", "y4")}, {}, {}));
  add(m, delta(12, {}, {dev("y", "y5")}, {}));
  auto r = read(*m.body());
  CHECK(r.seq == 12);
  CHECK(r.from == 7);
  CHECK(r.added == strings{"x=x3"});
  CHECK(r.changed == strings{"y=y5"});
  CHECK(r.removed.empty());
}

TEST_CASE("delta merge: many devices (past the short scan) follow the same rule") {
  delta_encoding_cache cache;
  auto add = [&](delta_merge& m, device_delta d) { m.add(cache.get({}, "f", d, nullptr)); };
  std::vector<device_record> first, second, gone, known;
  for (int i = 0; i < 100; ++i) {
    first.push_back(dev("n" + std::to_string(i), "v1"));
    second.push_back(dev("n" + std::to_string(i), "v2"));
    if (i % 2) gone.push_back(dev("n" + std::to_string(i), "v2"));
    known.push_back(dev("k" + std::to_string(i), "k2"));
  }
  delta_merge m;
  add(m, delta(1, first, {}, {}));
  add(m, delta(2, {}, second, {}));
  add(m, delta(3, {}, known, gone));
  auto r = read(*m.body());
  CHECK(r.added.size() == 50); // added, changed → added(new); the odd ones added then removed → nothing
  CHECK(std::all_of(r.added.begin(), r.added.end(),
                    [](const std::string& s) { return s.size() > 3 && s.substr(s.size() - 3) == "=v2"; }));
  CHECK(r.changed.size() == 100);
  CHECK(r.removed.empty());
}
