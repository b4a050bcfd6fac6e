// Prints how long registry queries take at 100,000 devices (a program, not a test: timings are
// reported, never asserted). Usage: registry_query_bench [devices] [rounds]

#include "services/registry/device_model.hpp"
#include "tests/registry/synth.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace mpk;
using clock_type = std::chrono::steady_clock;

int main(int argc, char** argv) {
  std::size_t devices = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 100000;
  int rounds = argc > 2 ? std::atoi(argv[2]) : 200;
  registry::device_model m;
  auto t0 = clock_type::now();
  for (int t = 0; t < 4; ++t) {
    auto link = "tenant" + std::to_string(t) + "/devices";
    auto s = test::synth_snapshot(link, "tenant" + std::to_string(t), devices / 4, 50);
    m.replace_link(link, "tenant" + std::to_string(t), s.domains, s.devices);
  }
  auto load_ms = std::chrono::duration<double, std::milli>(clock_type::now() - t0).count();
  std::printf("model: %zu devices loaded in %.1f ms\n", m.size(), load_ms);

  struct probe {
    const char* what;
    device_query q;
  };
  std::vector<probe> probes;
  auto add = [&](const char* what, std::string search, std::vector<std::string> tenants = {}, std::int8_t online = -1,
                 std::uint32_t offset = 0) {
    device_query q;
    q.search = std::move(search);
    q.tenants = std::move(tenants);
    q.online = online;
    q.offset = offset;
    q.limit = 50;
    probes.push_back({what, q});
  };
  add("no filter, first page", "");
  add("no filter, page at 50,000", "", {}, -1, 50000);
  add("search name", "lobby 12");
  add("search product", "IP232");
  add("search ip", "10.0.3.");
  add("search MAC typed with colons", "00:90:33:00:01");
  add("search version", "13r2 sr16");
  add("search, no match", "no such device");
  add("tenant + online + search", "office", {"tenant2"}, 1);
  {
    device_query q;
    q.domain = "tenant1/devices:7";
    q.limit = 50;
    probes.push_back({"one domain", q});
  }

  std::printf("%-32s %10s %10s %10s %10s\n", "query", "total", "p50 ms", "p99 ms", "max ms");
  for (auto& p : probes) {
    std::vector<double> ms;
    std::uint64_t total = 0;
    for (int i = 0; i < rounds; ++i) {
      auto a = clock_type::now();
      auto page = m.query(p.q);
      ms.push_back(std::chrono::duration<double, std::milli>(clock_type::now() - a).count());
      total = page.total;
    }
    std::sort(ms.begin(), ms.end());
    auto at = [&](double f) {
      return ms[std::min(ms.size() - 1, static_cast<std::size_t>(f * static_cast<double>(ms.size())))];
    };
    std::printf("%-32s %10llu %10.2f %10.2f %10.2f\n", p.what, static_cast<unsigned long long>(total), at(0.5),
                at(0.99), ms.back());
  }

  // Churn: each round renames one device (it moves in the list) or adds one, then queries.
  std::vector<double> apply_ms, query_ms;
  std::int64_t next = static_cast<std::int64_t>(devices / 4) + 1;
  for (int i = 0; i < rounds; ++i) {
    link_update u;
    u.kind = link_update_kind::delta;
    auto d = test::synth_device("tenant1/devices", i % 2 ? 1 + i : next++, 50);
    if (i % 2) d.name = "renamed " + std::to_string(i);
    u.devices.push_back(d);
    auto a = clock_type::now();
    m.apply_delta("tenant1/devices", "tenant1", u);
    auto b = clock_type::now();
    device_query q;
    q.search = "lobby 1";
    q.limit = 50;
    m.query(q);
    auto c = clock_type::now();
    apply_ms.push_back(std::chrono::duration<double, std::milli>(b - a).count());
    query_ms.push_back(std::chrono::duration<double, std::milli>(c - b).count());
  }
  for (auto* v : {&apply_ms, &query_ms}) std::sort(v->begin(), v->end());
  auto p = [](const std::vector<double>& v, double f) {
    return v[std::min(v.size() - 1, static_cast<std::size_t>(f * static_cast<double>(v.size())))];
  };
  std::printf("%-32s %10s %10.2f %10.2f %10.2f\n", "churn: apply one add/rename", "", p(apply_ms, 0.5),
              p(apply_ms, 0.99), apply_ms.back());
  std::printf("%-32s %10s %10.2f %10.2f %10.2f\n", "churn: then search 'lobby 1'", "", p(query_ms, 0.5),
              p(query_ms, 0.99), query_ms.back());
  return 0;
}
