#include "bench/sim_changes.hpp"

#include "bench/bench_util.hpp"
#include "bench/http_call.hpp"

#include <simdjson.h>

#include <thread>

namespace mpk::bench {

std::vector<std::int64_t> assigned_ids(const std::string& sim_base, std::size_t want) {
  std::vector<std::int64_t> ids;
  auto r = http_call("GET", sim_base + "/control/devices");
  if (!r || r->status != 200) return ids;
  simdjson::dom::parser p;
  simdjson::dom::element doc;
  if (p.parse(r->body).get(doc)) return ids;
  simdjson::dom::array arr;
  if (doc.get(arr)) return ids;
  for (auto d : arr) {
    std::int64_t id = 0, dom = 0;
    if (d["id"].get(id) || d["domainId"].get(dom) || dom == 0) continue;
    ids.push_back(id);
    if (ids.size() >= want) break;
  }
  return ids;
}

double make_paced(int events, int rate, const change_sink& sink) {
  auto t0 = clock::now();
  auto wall0 = wall_us();
  for (int k = 0; k < events; ++k) {
    auto offset_us = static_cast<std::int64_t>(k * 1e6 / rate);
    std::this_thread::sleep_until(t0 + std::chrono::microseconds(offset_us));
    sink(k, wall0 + offset_us);
  }
  return us_since(t0) / 1e6;
}

change_sink rename_in_sim(const std::string& sim_base, const std::vector<std::int64_t>& ids) {
  return [sim_base, ids](int k, std::int64_t stamp) {
    auto body = R"({"id":)" + std::to_string(ids[static_cast<std::size_t>(k) % ids.size()]) + R"(,"name":"bench )" +
                std::to_string(stamp) + " " + std::to_string(k) + "\"}";
    auto r = http_call("POST", sim_base + "/control/device", body);
    return r && r->status == 200;
  };
}

} // namespace mpk::bench
