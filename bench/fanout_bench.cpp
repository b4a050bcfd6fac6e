// mpk_bench_fanout (targets 2, 3 and 5): 1,000 subscribed operator clients, 100 device changes/s
// for 30 s made through the simulator's control API (the new name carries the creation time in
// µs), every change must reach every client; then a saturation burst; meanwhile one more client
// pages 100 devices with a search term and the online filter (target 3). The same fan-out is then
// served by the minimal Node.js `ws` broadcaster of bench/node-ws (target 5) for the ratio, twice:
// fed by the driver's POSTs (`node`: no source path, a broadcaster's lower bound) and subscribed
// to the simulator's devices-api like our registry (`node_api`: the same changes, made the same
// way, through the same Devices App).
//
// Processes: mpk-sim (devices-api + control), mpk_bench_server (registry + gateway: the measured
// CPU), this driver (event source and the clients, on one thread). All on this machine.
//
//   mpk_bench_fanout [--smoke] [--clients=1000] [--rate=100] [--seconds=30] [--burst=3000]
//                    [--devices=100000] [--domains=1000] [--target=both|mpk|node|node-api]
//                    [--linger-ms=N] [--tls]
//   --target=both: ours, then Node fed by POSTs, then Node on the devices-api
//   --tls: the browsers on wss (TLS 1.3) to a gateway with a certificate from a throw-away CA
//          (figures fanout.mpk_tls.*); the Node references are not run then
//   --linger-ms: the gateway's fanout-linger-ms for this run (the product's default when absent)

#include "bench/bench_util.hpp"
#include "bench/child.hpp"
#include "bench/http_call.hpp"
#include "bench/load_gen.hpp"
#include "bench/page_queries.hpp"
#include "bench/sim_changes.hpp"
#include "bench/sim_state.hpp"
#include "sim/tls/throwaway_ca.hpp"

#include <csignal>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>
#include <thread>

using namespace mpk;
using namespace mpk::bench;

namespace {

struct run_options {
  int clients = 1000, rate = 100, seconds = 30, burst = 3000, devices = 100000, domains = 1000;
  bool smoke = false;
  /// With tls: the CA the clients verify the gateway with, and the gateway's certificate pair.
  std::string ca_file, cert_file, key_file;
};

struct run_result {
  bool ok = false;
  double p50 = 0, p99 = 0, max = 0, delivered = 0, paced_rate = 0, saturation_rate = 0, saturation_per_core = 0;
  double server_cpu_share = 0, query_p50 = 0, query_p99 = 0;
};

/// Sends change k, stamped `stamp_us`: to the simulator (our stack) or straight to the Node broadcaster.
using event_sink = change_sink;

/// Waits until `lg` saw `expected` deliveries or nothing new arrived for `quiet_ms`.
void drain(load_gen& lg, std::uint64_t expected, int quiet_ms) {
  auto last = lg.deliveries();
  auto since = clock::now();
  while (lg.deliveries() < expected) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    auto now = lg.deliveries();
    if (now != last)
      last = now, since = clock::now();
    else if (us_since(since) > quiet_ms * 1000.0)
      break;
  }
}

/// `stride`: change k renames device k % stride (merged deltas carry only a device's newest name).
run_result run_fanout(const std::string& tag, const run_options& o, unsigned short port, bool login, int server_pid,
                      int stride, const event_sink& sink) {
  run_result r;
  load_options lo;
  lo.port = port;
  lo.clients = o.clients;
  lo.login = login;
  lo.stride = stride;
  lo.max_changes = o.rate * o.seconds + o.burst;
  lo.tls = !o.ca_file.empty() && login;
  lo.ca_file = o.ca_file;
  load_gen lg(lo);
  if (!lg.start(120000)) {
    std::cerr << tag << ": only " << lg.ready() << " of " << o.clients << " clients ready (" << lg.failed()
              << " failed)\n";
    return r;
  }
  // Target 3: queries under the load, on their own connection and thread.
  std::optional<page_queries> queries;
  if (login) queries.emplace(lo);

  auto send_event = [&](int k, std::int64_t stamp) {
    lg.note_sent(k, stamp);
    return sink(k, stamp);
  };
  // Paced phase: `rate` changes per second for `seconds`. A change's latency counts from when it
  // was due, not from when the driver got to send it: a server whose answer holds the driver up
  // (the Node reference answers a POST after its broadcast) must not hide its queue that way.
  int events = o.rate * o.seconds;
  auto cpu0 = cpu_ms(server_pid);
  auto t0 = clock::now();
  double sent_s = make_paced(events, o.rate, send_event);
  // Below `rate` when sending held the driver up.
  figure(tag + ".changes_per_s", events / std::max(sent_s, 1e-3), "changes/s");
  std::uint64_t expected = static_cast<std::uint64_t>(events) * o.clients;
  drain(lg, expected, 3000);
  double wall_s = us_since(t0) / 1e6;
  auto cpu1 = cpu_ms(server_pid);
  auto lat = lg.take_latencies();
  r.delivered = static_cast<double>(lg.deliveries()) / static_cast<double>(expected);
  r.p50 = percentile(lat, 50);
  r.p99 = percentile(lat, 99);
  r.max = percentile(lat, 100);
  r.paced_rate = static_cast<double>(lg.deliveries()) / sent_s;
  r.server_cpu_share = (cpu1 - cpu0) / 1000.0 / wall_s;
  std::vector<double> query_ms;
  if (queries) query_ms = queries->stop();
  r.query_p50 = percentile(query_ms, 50);
  r.query_p99 = percentile(query_ms, 99);
  figure(tag + ".clients", o.clients, "clients");
  figure(tag + ".changes", events, "changes");
  figure(tag + ".delivered", r.delivered * 100, "%");
  figure(tag + ".merged_away", static_cast<double>(lg.superseded()), "deliveries");
  figure(tag + ".duplicates", static_cast<double>(lg.duplicates()), "deliveries");
  figure(tag + ".messages_per_client", static_cast<double>(lg.messages()) / o.clients, "messages");
  figure(tag + ".latency_p50", r.p50, "ms");
  figure(tag + ".latency_p99", r.p99, "ms");
  figure(tag + ".latency_max", r.max, "ms");
  figure(tag + ".server_cpu", r.server_cpu_share * 100, "%core");
  if (login) {
    figure(tag + ".queries", static_cast<double>(query_ms.size()), "queries");
    figure(tag + ".query_p50", r.query_p50, "ms");
    figure(tag + ".query_p99", r.query_p99, "ms");
  }

  // Saturation: `burst` changes as fast as the driver can make them.
  auto base = lg.deliveries();
  cpu0 = cpu_ms(server_pid);
  t0 = clock::now();
  for (int k = 0; k < o.burst; ++k) send_event(events + k, wall_us());
  std::uint64_t sat_expected = base + static_cast<std::uint64_t>(o.burst) * o.clients;
  // An overloaded back end may stay silent for seconds before the first burst delivery.
  constexpr int sat_quiet_ms = 15000;
  drain(lg, sat_expected, sat_quiet_ms);
  auto got = lg.deliveries() - base;
  // The clients' last arrival ends the window (drain's quiet tail is not counted).
  auto sat_lat = lg.take_latencies();
  double window_s = us_since(t0) / 1e6;
  if (lg.deliveries() < sat_expected) window_s -= sat_quiet_ms / 1000.0;
  cpu1 = cpu_ms(server_pid);
  r.saturation_rate = static_cast<double>(got) / std::max(window_s, 1e-3);
  r.saturation_per_core = static_cast<double>(got) / std::max((cpu1 - cpu0) / 1000.0, 1e-3);
  figure(tag + ".saturation_delivered", 100.0 * static_cast<double>(got) / (static_cast<double>(o.burst) * o.clients),
         "%");
  figure(tag + ".saturation_rate", r.saturation_rate, "deliveries/s");
  figure(tag + ".saturation_per_server_core", r.saturation_per_core, "deliveries/cpu-s");
  figure(tag + ".saturation_p99", percentile(sat_lat, 99), "ms");
  figure(tag + ".saturation_duplicates", static_cast<double>(lg.duplicates()), "deliveries");
  lg.stop();
  r.ok = true;
  return r;
}

std::string self_dir(const char* argv0) {
  std::string p = argv0;
  auto slash = p.rfind('/');
  return slash == std::string::npos ? "." : p.substr(0, slash);
}

/// A fresh simulator with the run's devices and its base URL.
struct sim_process {
  std::unique_ptr<child> proc;
  std::string base;
};

std::optional<sim_process> start_sim(const run_options& o) {
  sim_process sim;
  sim.proc = std::make_unique<child>(std::vector<std::string>{
    MPK_BENCH_SIM, "--port=0", "--devices=" + std::to_string(o.devices), "--domains=" + std::to_string(o.domains),
    "--tenants=0", "--product-url=", "--live-phones=0", "--models-dir=" MPK_MODELS_DIR});
  auto line = sim.proc->wait_for("mpk-sim ", 60000);
  if (!line) {
    std::cerr << "the simulator did not start\n";
    return std::nullopt;
  }
  sim.base = line->substr(8, line->find(' ', 8) - 8);
  return sim;
}

/// Waits for `server`'s port, runs the fan-out with the changes made in `sim`, stops both.
run_result fanout_through_sim(const std::string& tag, const run_options& o, sim_process& sim, child& server,
                              const std::string& setup_tag, bool login) {
  auto ready = server.wait_for("ready port=", 120000, setup_tag);
  if (!ready) {
    std::cerr << tag << ": the server did not come up\n";
    return {};
  }
  auto ids = assigned_ids(sim.base, 1000);
  if (ids.empty()) {
    std::cerr << "no assigned devices in the simulator\n";
    return {};
  }
  auto port = static_cast<unsigned short>(std::stoi(ready->substr(11)));
  auto r = run_fanout(tag, o, port, login, server.pid(), static_cast<int>(ids.size()), rename_in_sim(sim.base, ids));
  server.stop();
  sim.proc->stop(0);
  return r;
}

/// Ours: the simulator, mpk_bench_server (registry + gateway) and the operator clients.
run_result run_ours(const run_options& o, const std::string& dir, const std::string& linger) {
  auto sim = start_sim(o);
  if (!sim) return {};
  std::vector<std::string> server_args{dir + "/mpk_bench_server", "--sim=" + sim->base};
  if (!linger.empty()) server_args.push_back("--fanout-linger-ms=" + linger);
  if (!o.cert_file.empty()) {
    server_args.push_back("--tls-cert=" + o.cert_file);
    server_args.push_back("--tls-key=" + o.key_file);
  }
  child server(server_args);
  return fanout_through_sim(o.ca_file.empty() ? "fanout.mpk" : "fanout.mpk_tls", o, *sim, server, "fanout.setup.",
                            true);
}

/// The gateway's certificate (ECDSA P-256, as the simulator makes them) from a throw-away CA.
bool make_certificates(run_options& o, const std::string& dir) {
  std::filesystem::create_directories(dir);
  std::string err;
  auto ca = sim::throwaway_ca::create("bench CA", dir + "/ca.pem", err);
  sim::issued_certificate gw;
  if (!ca || !ca->issue({"127.0.0.1"}, dir + "/gateway", gw, err)) {
    std::cerr << "certificates: " << err << "\n";
    return false;
  }
  o.ca_file = ca->ca_file();
  o.cert_file = gw.cert_file;
  o.key_file = gw.key_file;
  return true;
}

/// Node fed by the driver's POSTs: the same DevicesChanged our gateway sends for one renamed device.
run_result run_node_posted(const run_options& o, const std::string& node_dir) {
  child server({"node", node_dir + "/server.js", "0"});
  auto ready = server.wait_for("ready port=", 30000);
  if (!ready) {
    std::cerr << "the node reference did not start\n";
    return {};
  }
  auto port = static_cast<unsigned short>(std::stoi(ready->substr(11)));
  auto url = "http://127.0.0.1:" + std::to_string(port) + "/event";
  auto r = run_fanout("fanout.node", o, port, false, server.pid(), 1000, [&](int k, std::int64_t stamp) {
    auto body = R"({"mt":"DevicesChanged","src":"list","seq":)" + std::to_string(k + 1) +
                R"(,"added":[],"changed":[{"id":"tenant1.example.com/devices-api:)" + std::to_string(k % 1000) +
                R"(","hwId":"009033400000","name":"bench )" + std::to_string(stamp) + " " + std::to_string(k) +
                R"(","product":"IP232","version":"13r3 sr7 [13.4567]","type":"PHONE","online":true,"stale":false,)"
                R"("ip":"10.0.3.17","domain":"tenant1.example.com/devices-api:12","domainName":"dom12.example.com",)"
                R"("supported":true}],"removed":[]})";
    auto a = http_call("POST", url, body);
    return a && a->status == 200;
  });
  server.stop();
  return r;
}

/// Node subscribed to a fresh simulator's devices-api, the changes made there as for ours.
run_result run_node_api(const run_options& o, const std::string& node_dir) {
  auto sim = start_sim(o);
  if (!sim) return {};
  auto inst = read_sim(sim->base);
  if (!inst) {
    std::cerr << "cannot read the simulator's state\n";
    return {};
  }
  child server({"node", node_dir + "/server.js", "0", "--devices-api=" + devices_api_url(sim->base, *inst),
                "--domain=" + inst->domain, "--password=" + inst->password});
  return fanout_through_sim("fanout.node_api", o, *sim, server, "", false);
}

void print_ratios(const std::string& tag, const run_result& ours, const run_result& ref) {
  figure(tag + ".saturation_rate", ours.saturation_rate / std::max(ref.saturation_rate, 1e-9), "x");
  figure(tag + ".saturation_per_core", ours.saturation_per_core / std::max(ref.saturation_per_core, 1e-9), "x");
  figure(tag + ".p99", ref.p99 / std::max(ours.p99, 1e-9), "x(node/ours)");
}

} // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  run_options o;
  o.smoke = has_flag(argc, argv, "--smoke");
  if (o.smoke) o.clients = 20, o.rate = 20, o.seconds = 2, o.burst = 200, o.devices = 2000, o.domains = 20;
  o.clients = std::stoi(arg(argc, argv, "clients", std::to_string(o.clients)));
  o.rate = std::stoi(arg(argc, argv, "rate", std::to_string(o.rate)));
  o.seconds = std::stoi(arg(argc, argv, "seconds", std::to_string(o.seconds)));
  o.burst = std::stoi(arg(argc, argv, "burst", std::to_string(o.burst)));
  o.devices = std::stoi(arg(argc, argv, "devices", std::to_string(o.devices)));
  o.domains = std::stoi(arg(argc, argv, "domains", std::to_string(o.domains)));
  auto target = arg(argc, argv, "target", "both");
  auto cert_dir = (std::filesystem::temp_directory_path() / ("mpk-bench-tls-" + std::to_string(::getpid()))).string();
  if (has_flag(argc, argv, "--tls")) {
    if (!make_certificates(o, cert_dir)) return 1;
    target = "mpk";
    note("browsers on wss, TLS 1.3, gateway certificate ECDSA P-256");
  }
  struct cleanup {
    std::string dir;
    ~cleanup() { std::filesystem::remove_all(dir); }
  } remove_certificates{cert_dir};
  auto wanted = [&](const char* t) { return target == "both" || target == t; };
  note("mpk_bench_fanout " + machine_line());

  run_result ours;
  if (wanted("mpk")) {
    ours = run_ours(o, self_dir(argv[0]), arg(argc, argv, "linger-ms", ""));
    if (!ours.ok) return 1;
  }
  if (!wanted("node") && !wanted("node-api")) return 0;
  struct stat st {};
  std::string node_dir = MPK_BENCH_NODE_DIR;
  if (stat((node_dir + "/node_modules/ws").c_str(), &st) != 0) {
    note("node reference skipped: run `npm ci` in bench/node-ws first");
    return 0;
  }
  if (wanted("node")) {
    auto node = run_node_posted(o, node_dir);
    if (!node.ok) return 1;
    if (ours.ok) print_ratios("fanout.ratio", ours, node);
  }
  if (wanted("node-api")) {
    auto node_api = run_node_api(o, node_dir);
    if (!node_api.ok) return 1;
    if (ours.ok) print_ratios("fanout.ratio_api", ours, node_api);
  }
  return 0;
}
