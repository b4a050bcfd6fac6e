// The compact records: shared strings kept once in the model's pool, every field of a record
// coming back as it went in, and a change of any one field seen as a change.

#include "services/registry/device_model.hpp"
#include "tests/registry/synth.hpp"

#include <catch2/catch.hpp>

#include <functional>
#include <set>

using namespace mpk;
using namespace mpk::registry;

TEST_CASE("string pool: one copy per distinct text, with its lowercase form and a number in order") {
  string_pool pool;
  const auto* a = pool.intern("IP232");
  const auto* b = pool.intern(std::string("IP") + "232");
  const auto* c = pool.intern("ip232");
  CHECK(a == b);
  CHECK(a != c);
  CHECK(a->text == "IP232");
  CHECK(a->lower == "ip232");
  CHECK(c->lower == "ip232");
  CHECK(a->id == 0);
  CHECK(c->id == 1);
  CHECK(&pool.at(1) == c);
  // Growing never moves what is already there.
  for (int i = 0; i < 5000; ++i) pool.intern("version " + std::to_string(i));
  CHECK(pool.intern("IP232") == a);
  CHECK(a->text == "IP232");
  CHECK(pool.size() == 5002);
}

TEST_CASE("compact records: devices sharing product, version, type and domain share one pooled copy") {
  device_model m;
  auto s = test::synth_snapshot("t1/devices", "t1", 200, 5);
  for (auto& d : s.devices) {
    d.product = "IP232";
    d.version = "13r3 sr12 [13.4567]";
  }
  m.replace_link("t1/devices", "t1", s.domains, s.devices);
  auto first = m.find("t1/devices:1");
  REQUIRE(first);
  std::set<const pooled_string*> domains;
  for (std::int64_t n = 1; n <= 200; ++n) {
    auto e = m.find("t1/devices:" + std::to_string(n));
    REQUIRE(e);
    CHECK(e->product == first->product);
    CHECK(e->version == first->version);
    CHECK(e->type == first->type);
    CHECK(e->link == first->link);
    CHECK(e->tenant == first->tenant);
    domains.insert(e->domain_name);
  }
  CHECK(domains.size() == 5); // one pooled name per domain, not per device
}

TEST_CASE("compact records: record() gives back every field of the completed record") {
  device_model m;
  auto s = test::synth_snapshot("t1/devices", "t1", 50, 4);
  auto in = s.devices;
  m.replace_link("t1/devices", "t1", s.domains, s.devices);
  for (const auto& d : in) {
    auto e = m.find(d.id);
    REQUIRE(e);
    auto r = e->record();
    CHECK(r.id == d.id);
    CHECK(r.link == "t1/devices");
    CHECK(r.tenant == "t1");
    CHECK(r.device_id == d.device_id);
    CHECK(r.hw_id == d.hw_id);
    CHECK(r.name == d.name);
    CHECK(r.product == d.product);
    CHECK(r.version == d.version);
    CHECK(r.type == d.type);
    CHECK(r.ip == d.ip);
    CHECK(r.domain_id == d.domain_id);
    CHECK_FALSE(r.domain_name.empty());
    CHECK(r.online == d.online);
    CHECK_FALSE(r.stale);
    CHECK(same_device(*e, r));
  }
}

TEST_CASE("compact records: a change of any one field is a change, the same record is none") {
  string_pool pool;
  auto base = test::synth_device("t1/devices", 7, 3);
  base.tenant = "t1";
  base.domain_name = "Domain-2";
  auto e = make_entry(base, pool);
  CHECK(same_device(*e, base));
  std::vector<std::function<void(device_record&)>> edits = {
    [](device_record& r) { r.id = "t1/devices:07"; },
    [](device_record& r) { r.link = "t2/devices"; },
    [](device_record& r) { r.tenant = "t2"; },
    [](device_record& r) { r.device_id = 8; },
    [](device_record& r) { r.hw_id += "0"; },
    [](device_record& r) { r.name += " x"; },
    [](device_record& r) { r.product = "IP112"; },
    [](device_record& r) { r.version = "14r1"; },
    [](device_record& r) { r.type = "GW"; },
    [](device_record& r) { r.ip = "10.9.9.9"; },
    [](device_record& r) { r.domain_id = "t1/devices:99"; },
    [](device_record& r) { r.domain_name = "Other"; },
    [](device_record& r) { r.online = !r.online; },
    [](device_record& r) { r.stale = !r.stale; },
  };
  for (std::size_t i = 0; i < edits.size(); ++i) {
    auto r = base;
    edits[i](r);
    INFO("field edit " << i);
    CHECK_FALSE(same_device(*e, r));
  }
}

TEST_CASE("compact records: the search key covers name, product, IP, hwId and version, case-insensitively") {
  string_pool pool;
  device_record r;
  r.link = "l";
  r.id = "l:1";
  r.device_id = 1;
  r.name = "Lobby\nPhone";
  r.product = "IP232";
  r.ip = "10.0.3.17";
  r.hw_id = "009033ABCDEF";
  r.version = "13r3 SR12";
  auto e = make_entry(r, pool);
  std::string key;
  e->append_search_key(key);
  CHECK(key == "lobby phone\nip232\n10.0.3.17\n009033abcdef\n13r3 sr12");
  CHECK(key.size() == e->search_key_size());
  CHECK(key.substr(e->hw_pos(), e->hw_id.size()) == "009033abcdef");
  for (const char* term : {"lobby phone", "ip23", "0.3.1", "33abc", "3 sr1"}) CHECK(e->search_key_contains(term));
  for (const char* term : {"ip232 10", "phone ip", "zzz"}) CHECK_FALSE(e->search_key_contains(term));
  CHECK(e->hw_contains("abcdef"));
  CHECK_FALSE(e->hw_contains("0317"));
}
