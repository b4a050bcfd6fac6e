// mpk_bench_registry (targets 1 and 3 at scale): devices in domains over Devices instances from the
// simulated Devices App (by default 100,000 devices in 1,000 domains, one instance).
// Each run starts a fresh mpk-sim and mpk_bench_server (registry + gateway, see bench_server.cpp):
// time from the PBX's grant to every link past its login and to the complete model, the back
// end's CPU (and the simulator's, which serves the lists meanwhile) and its memory per device, then a restart of the
// first Devices instance with 1 % of its devices changed while it was down: time to the resynchronised model and how
// many device records the registry emitted to a subscriber (only the difference, whatever the other instances hold).
// Last, pages of 100 with a search term under the fan-out: `--clients` operator browsers
// subscribed to the whole list while the simulator makes `--rate` changes per second.
// Prints the median of the runs.
//
//   mpk_bench_registry [--smoke] [--runs=3] [--devices=100000] [--domains=1000] [--instances=1]
//                      [--shards=1] [--down-ms=300] [--heap=default|registry]
//                      [--clients=1000] [--rate=100] [--fanout-seconds=20]
//   --heap=registry: the back end's heap set up as in the split deployment's mpk-registry (one
//   arena, fixed mmap threshold: common/base/heap_tuning.hpp); default: glibc's, as mpk-allinone
//   --shards: registry processes the links are spread over; one is all there is so far

#include "bench/bench_util.hpp"
#include "bench/child.hpp"
#include "bench/load_gen.hpp"
#include "bench/page_queries.hpp"
#include "bench/sim_changes.hpp"

#include <csignal>
#include <iostream>
#include <map>
#include <sstream>

using namespace mpk;
using namespace mpk::bench;

namespace {

/// The page latencies under the fan-out against the gateway on `port`; empty when the clients
/// could not all connect.
std::vector<double> pages_under_fanout(unsigned short port, const std::string& sim_base, int clients, int rate,
                                       int seconds, double& delivered) {
  load_options lo;
  lo.port = port;
  lo.clients = clients;
  load_gen lg(lo);
  if (!lg.start(180000)) {
    std::cerr << "only " << lg.ready() << " of " << clients << " clients ready (" << lg.failed() << " failed)\n";
    return {};
  }
  auto ids = assigned_ids(sim_base, 1000);
  if (ids.empty()) {
    std::cerr << "no assigned devices in the simulator\n";
    return {};
  }
  page_queries queries(lo);
  auto rename = rename_in_sim(sim_base, ids);
  int events = rate * seconds;
  make_paced(events, rate, [&](int k, std::int64_t stamp) {
    lg.note_sent(k, stamp);
    return rename(k, stamp);
  });
  auto ms = queries.stop();
  delivered = 100.0 * static_cast<double>(lg.deliveries()) / (static_cast<double>(events) * clients);
  lg.stop();
  return ms;
}

} // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  bool smoke = has_flag(argc, argv, "--smoke");
  int runs = std::stoi(arg(argc, argv, "runs", smoke ? "1" : "3"));
  int devices = std::stoi(arg(argc, argv, "devices", smoke ? "2000" : "100000"));
  int domains = std::stoi(arg(argc, argv, "domains", smoke ? "20" : "1000"));
  int instances = std::stoi(arg(argc, argv, "instances", smoke ? "2" : "1"));
  int shards = std::stoi(arg(argc, argv, "shards", "1"));
  int clients = std::stoi(arg(argc, argv, "clients", smoke ? "20" : "1000"));
  int rate = std::stoi(arg(argc, argv, "rate", smoke ? "20" : "100"));
  int fanout_seconds = std::stoi(arg(argc, argv, "fanout-seconds", smoke ? "2" : "20"));
  auto down_ms = arg(argc, argv, "down-ms", "300");
  auto heap = arg(argc, argv, "heap", "default");
  if (shards != 1) {
    std::cerr << "--shards=" << shards << ": the registry runs as one process so far; --shards accepts 1\n";
    return 2;
  }
  std::string dir = argv[0];
  dir = dir.rfind('/') == std::string::npos ? "." : dir.substr(0, dir.rfind('/'));
  note("mpk_bench_registry " + machine_line());

  std::map<std::string, std::vector<double>> values;
  std::map<std::string, std::string> units;
  auto add = [&](int run, const std::string& name, double v, const std::string& unit) {
    values[name].push_back(v);
    units[name] = unit;
    std::cout << "note run " << run + 1 << ": " << name << " " << v << " " << unit << "\n";
  };
  for (int run = 0; run < runs; ++run) {
    child sim({MPK_BENCH_SIM, "--port=0", "--devices=" + std::to_string(devices),
               "--domains=" + std::to_string(domains), "--instances=" + std::to_string(instances), "--tenants=0",
               "--product-url=", "--live-phones=0", "--models-dir=" MPK_MODELS_DIR});
    auto line = sim.wait_for("mpk-sim ", 300000);
    if (!line) {
      std::cerr << "the simulator did not start\n";
      return 1;
    }
    auto sim_base = line->substr(8, line->find(' ', 8) - 8);
    // 1 % of the first instance's devices change while it is down.
    child server({dir + "/mpk_bench_server", "--sim=" + sim_base,
                  "--resync=" + std::to_string(std::max(1, devices / instances / 100)), "--down-ms=" + down_ms,
                  "--heap=" + heap});
    // The simulator's CPU while the back end loads: the other side of the load time.
    auto sim_cpu0 = cpu_ms(sim.pid());
    unsigned short port = 0;
    while (auto l = server.read_line(600000)) {
      if (l->rfind("ready port=", 0) == 0) {
        port = static_cast<unsigned short>(std::stoi(l->substr(11)));
        break;
      }
      if (l->rfind("figure ", 0) != 0) continue;
      std::istringstream is(l->substr(7));
      std::string name, unit;
      double v = 0;
      is >> name >> v >> unit;
      add(run, name, v, unit);
      if (name == "registry.load_time") add(run, "registry.sim_cpu_during_load", cpu_ms(sim.pid()) - sim_cpu0, "ms");
    }
    if (!port) {
      server.stop();
      sim.stop(0);
      std::cerr << "run " << run + 1 << ": the back end failed\n";
      return 1;
    }
    double delivered = 0;
    auto pages = pages_under_fanout(port, sim_base, clients, rate, fanout_seconds, delivered);
    server.stop();
    sim.stop(0);
    if (pages.empty()) {
      std::cerr << "run " << run + 1 << ": no page under the fan-out\n";
      return 1;
    }
    add(run, "registry.page_queries", static_cast<double>(pages.size()), "queries");
    add(run, "registry.page_p50", percentile(pages, 50), "ms");
    add(run, "registry.page_p99", percentile(pages, 99), "ms");
    add(run, "registry.fanout_delivered", delivered, "%");
  }
  for (auto& [name, v] : values) figure(name, median(v), units[name]);
  return 0;
}
