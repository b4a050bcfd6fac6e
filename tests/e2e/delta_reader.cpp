#include "tests/e2e/delta_reader.hpp"

#include "tests/sim/ws_client.hpp"

#include <catch2/catch.hpp>

namespace mpk::test {

void apply_frame(applied& a, const std::string& frame) {
  json_doc d(frame);
  REQUIRE(d.ok);
  auto seq = d.integer("seq").value_or(-1);
  auto from = d.integer("from");
  if (from) ++a.merged;
  a.ranges.emplace_back(from.value_or(seq), seq);
  std::set<std::string> ids;
  for (const char* key : {"added", "changed"}) {
    simdjson::dom::array arr;
    REQUIRE_FALSE(d.root[key].get(arr));
    for (auto dev : arr) {
      std::string_view id, name;
      REQUIRE_FALSE(dev["id"].get(id));
      REQUIRE_FALSE(dev["name"].get(name));
      if (!ids.insert(std::string(id)).second) a.id_twice_in_a_frame = true;
      a.name_by_id[std::string(id)] = std::string(name);
      a.removed.erase(std::string(id));
    }
  }
  simdjson::dom::array removed;
  REQUIRE_FALSE(d.root["removed"].get(removed));
  for (auto r : removed) {
    std::string_view id;
    REQUIRE_FALSE(r.get(id));
    if (!ids.insert(std::string(id)).second) a.id_twice_in_a_frame = true;
    a.name_by_id.erase(std::string(id));
    a.removed.insert(std::string(id));
  }
}

std::int64_t created_id(const std::pair<int, std::string>& r) {
  REQUIRE(r.first == 200);
  return json_doc(r.second).integer("id").value_or(0);
}

} // namespace mpk::test
