// mpk_bench_registry (target 1): 100,000 devices in 1,000 domains from the simulated Devices App.
// Each run starts a fresh mpk-sim and mpk_bench_server (registry + gateway, see bench_server.cpp):
// time from the PBX's grant to the complete model, the back end's CPU and RSS, then a Devices App
// restart with 1 % of the devices changed while it was down: time to the resynchronised model and
// how many device records the registry emitted to a subscriber. Prints the median of the runs.
//
//   mpk_bench_registry [--smoke] [--runs=3] [--devices=100000] [--domains=1000] [--down-ms=300]
//                      [--heap=default|registry]
//   --heap=registry: the back end's heap set up as in the split deployment's mpk-registry (one
//   arena, fixed mmap threshold: common/base/heap_tuning.hpp); default: glibc's, as mpk-allinone

#include "bench/bench_util.hpp"
#include "bench/child.hpp"

#include <csignal>
#include <iostream>
#include <map>
#include <sstream>

using namespace mpk;
using namespace mpk::bench;

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  bool smoke = has_flag(argc, argv, "--smoke");
  int runs = std::stoi(arg(argc, argv, "runs", smoke ? "1" : "3"));
  int devices = std::stoi(arg(argc, argv, "devices", smoke ? "2000" : "100000"));
  int domains = std::stoi(arg(argc, argv, "domains", smoke ? "20" : "1000"));
  auto down_ms = arg(argc, argv, "down-ms", "300");
  auto heap = arg(argc, argv, "heap", "default");
  std::string dir = argv[0];
  dir = dir.rfind('/') == std::string::npos ? "." : dir.substr(0, dir.rfind('/'));
  note("mpk_bench_registry " + machine_line());

  std::map<std::string, std::vector<double>> values;
  std::map<std::string, std::string> units;
  for (int run = 0; run < runs; ++run) {
    child sim({MPK_BENCH_SIM, "--port=0", "--devices=" + std::to_string(devices), "--domains=" + std::to_string(domains),
               "--tenants=0", "--product-url=", "--live-phones=0", "--models-dir=" MPK_MODELS_DIR});
    auto line = sim.wait_for("mpk-sim ", 60000);
    if (!line) {
      std::cerr << "the simulator did not start\n";
      return 1;
    }
    auto sim_base = line->substr(8, line->find(' ', 8) - 8);
    child server({dir + "/mpk_bench_server", "--sim=" + sim_base, "--resync=" + std::to_string(devices / 100),
                  "--down-ms=" + down_ms, "--heap=" + heap});
    bool ready = false;
    while (auto l = server.read_line(180000)) {
      if (l->rfind("ready port=", 0) == 0) {
        ready = true;
        break;
      }
      if (l->rfind("figure ", 0) != 0) continue;
      std::istringstream is(l->substr(7));
      std::string name, unit;
      double v = 0;
      is >> name >> v >> unit;
      values[name].push_back(v);
      units[name] = unit;
      std::cout << "note run " << run + 1 << ": " << name << " " << v << " " << unit << "\n";
    }
    server.stop();
    sim.stop(0);
    if (!ready) {
      std::cerr << "run " << run + 1 << ": the back end failed\n";
      return 1;
    }
  }
  for (auto& [name, v] : values) figure(name, median(v), units[name]);
  return 0;
}
