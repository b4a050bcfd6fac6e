#include "bench/soak/deployment.hpp"

#include "bench/http_call.hpp"
#include "common/net/io_runtime.hpp"
#include "tests/cluster/operator_client.hpp"

#include <simdjson.h>

#include <csignal>
#include <map>
#include <set>

namespace mpk::soak {

using namespace std::chrono_literals;

deployment::deployment(const population& p, bool keep_logs) : population_(p), topo_("soak") {
  topo_.keep_dir = keep_logs;
  topo_.sim_population = {"--devices=" + std::to_string(p.devices), "--domains=" + std::to_string(p.domains),
                          "--tenants=" + std::to_string(p.tenants), "--live-phones=" + std::to_string(p.live_phones)};
}

bool deployment::start() {
  if (!topo_.start_all()) {
    error = topo_.error;
    return false;
  }
  return discover();
}

bool deployment::restart_registry() {
  topo_.registry->signal(SIGKILL);
  if (!topo_.registry->wait_exit(10s)) {
    error = "the registry did not die of SIGKILL";
    return false;
  }
  if (!topo_.start_registry()) {
    error = topo_.error;
    return false;
  }
  return true;
}

bool deployment::restart_devices(int down_ms) {
  auto r =
    bench::http_call("POST", sim_base() + "/control/devices/restart?down_ms=" + std::to_string(down_ms) + "&change=0");
  return r && r->status == 200;
}

std::vector<std::pair<std::string, int>> deployment::processes() const {
  auto pid = [](const std::unique_ptr<test::child_process>& p) {
    return p && p->running() ? static_cast<int>(p->pid()) : 0;
  };
  std::vector<std::pair<std::string, int>> out{{"gateway", pid(topo_.gateway)}, {"registry", pid(topo_.registry)}};
  for (std::size_t i = 0; i < topo_.phones.size(); ++i)
    out.emplace_back(topo_.phones.size() == 1 ? "phone-session" : "phone-session-" + std::to_string(i),
                     pid(topo_.phones[i]));
  out.emplace_back("sim", pid(topo_.sim));
  return out;
}

bool deployment::discover() {
  // An operator's list, until it holds every device of the tenants' domains and stops growing.
  net::io_runtime io(1);
  test::browser op(io, topo_.gateway_port);
  if (!op.ok() || !op.subscribe()) {
    error = "operator list: " + op.error;
    return false;
  }
  std::size_t last = 0;
  auto stable_since = std::chrono::steady_clock::now();
  op.pump_until(
    [&] {
      if (op.devices.size() != last) last = op.devices.size(), stable_since = std::chrono::steady_clock::now();
      return last > 0 && std::chrono::steady_clock::now() - stable_since > 3s;
    },
    120s);
  listed = op.devices.size();
  if (listed == 0 || listed >= 500) {
    error = "the operator's list holds " + std::to_string(listed) + " devices (expected 1…499: one page of 500)";
    return false;
  }
  std::map<std::string, std::string> id_by_hw;
  for (auto& [id, d] : op.devices) id_by_hw[d.hw_id] = id;
  // The live phones have to be connected before they can be watched.
  std::set<std::string> live;
  for (int i = 0; i < 300 && live.size() < static_cast<std::size_t>(population_.live_phones); ++i) {
    auto hws = test::sim_live_phones(topo_.sim_port);
    live = std::set<std::string>(hws.begin(), hws.end());
    if (live.size() < static_cast<std::size_t>(population_.live_phones)) op.pump(200ms);
  }
  for (auto& hw : live)
    if (id_by_hw.count(hw)) phone_ids.push_back(id_by_hw[hw]);
  // The simulator's ids of the listed devices that are no live phone.
  auto r = bench::http_call("GET", sim_base() + "/control/devices");
  simdjson::dom::parser p;
  simdjson::dom::array arr;
  if (!r || r->status != 200 || p.parse(r->body).get(arr)) {
    error = "cannot read the simulator's devices";
    return false;
  }
  for (auto d : arr) {
    std::int64_t id = 0;
    std::string_view hw;
    if (d["id"].get(id) || d["hwId"].get(hw)) continue;
    if (id_by_hw.count(std::string(hw)) && !live.count(std::string(hw))) churn_targets.push_back(id);
  }
  if (phone_ids.empty() || churn_targets.empty()) {
    error = "no live phone or no device to change in the product's list";
    return false;
  }
  return true;
}

} // namespace mpk::soak
