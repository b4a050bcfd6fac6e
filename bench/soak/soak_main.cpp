// mpk_soak: the split deployment (mpk-registry, mpk-phone-session, mpk-gateway, mpk-sim) as real
// processes on 127.0.0.1 under a steady load for a given time, with the restarts operators see:
//   - device churn through the simulator's control interface (100 changes/s),
//   - browsers (real websockets, app protocol, operator and tenant logins) paging and subscribing,
//     reconnecting with resumeFrom, their delta streams checked for lost or twice-sent changes,
//   - phones watched by browsers that come and go (LCD frames acked, keys pressed),
//   - a Devices App restart and a registry restart (kill -9 + start) every 10 minutes.
// It samples the RSS and open descriptors of every process, counts requests without an answer
// within their deadline and answers with codes docs/app-protocol.md does not document, and prints
// a report with a verdict (exit status 0 when it passes). A run takes the minutes it is given; the
// smoke form (--smoke, half a minute) runs in CI as soak_smoke. With --heap-every-minutes=N it also
// reads the heap in use of the product's processes every N minutes (glibc's mallinfo2() through gdb,
// bench/soak/heap_sampler.hpp): what tells a leak from memory the allocator keeps.
//
//   mpk_soak [--minutes=60] [--warmup-minutes=10] [--restart-every-minutes=10] [--clients=200]
//            [--watchers=60] [--phones=50] [--churn-rate=100] [--devices=2000] [--domains=10]
//            [--tenants=2] [--deadline-ms=15000] [--down-ms=2000] [--sample-seconds=30]
//            [--report-every-minutes=5] [--heap-every-minutes=0 (off)] [--heap-of=gateway,phone-session]
//            [--keep-logs]
//   mpk_soak --smoke   30 s, 20 browsers, 6 watchers, 300 devices, a Devices App restart at 10 s and
//                      a registry restart at 20 s; RSS is shown, not judged (too short to grow)

#include "bench/bench_util.hpp"
#include "bench/soak/churn.hpp"
#include "bench/soak/deployment.hpp"
#include "bench/soak/documented_errors.hpp"
#include "bench/soak/heap_sampler.hpp"
#include "bench/soak/list_client.hpp"
#include "bench/soak/phone_watcher.hpp"
#include "bench/soak/report.hpp"
#include "tests/cluster/operator_client.hpp"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <unistd.h>

using namespace mpk;
using namespace mpk::soak;
using namespace std::chrono_literals;

namespace {

int int_arg(int argc, char** argv, const char* name, int fallback) {
  return std::stoi(bench::arg(argc, argv, name, std::to_string(fallback)));
}

std::atomic<bool> interrupted{false};

} // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGINT, [](int) { interrupted = true; });
  std::signal(SIGTERM, [](int) { interrupted = true; });
  // The smoke form (CI) is the same program at a scale of seconds.
  const bool smoke = bench::has_flag(argc, argv, "--smoke");
  const double minutes = smoke ? 0.5 : int_arg(argc, argv, "minutes", 60);
  const double warmup_min =
    smoke ? 0 : int_arg(argc, argv, "warmup-minutes", std::min(10, static_cast<int>(minutes) / 3));
  const double period_min = smoke ? 20 / 60.0 : int_arg(argc, argv, "restart-every-minutes", 10);
  const double report_min = smoke ? 10 / 60.0 : int_arg(argc, argv, "report-every-minutes", 5);
  const int clients = int_arg(argc, argv, "clients", smoke ? 20 : 200);
  const int watchers = int_arg(argc, argv, "watchers", smoke ? 6 : 60);
  const int deadline_ms = int_arg(argc, argv, "deadline-ms", 15000), down_ms = int_arg(argc, argv, "down-ms", 2000);
  const int sample_s = int_arg(argc, argv, "sample-seconds", smoke ? 5 : 30);
  const double heap_min = int_arg(argc, argv, "heap-every-minutes", 0);
  // Not the registry by default: it starts anew every 10 minutes, and a gdb call into it made
  // the lists see churn counts skip (docs/security.md, "Endurance").
  const std::string heap_of = "," + bench::arg(argc, argv, "heap-of", "gateway,phone-session") + ",";
  const double churn_rate = std::stod(bench::arg(argc, argv, "churn-rate", "100"));
  population pop;
  pop.devices = int_arg(argc, argv, "devices", smoke ? 300 : pop.devices);
  pop.domains = int_arg(argc, argv, "domains", pop.domains);
  pop.tenants = int_arg(argc, argv, "tenants", pop.tenants);
  pop.live_phones = int_arg(argc, argv, "phones", smoke ? 6 : pop.live_phones);

  std::printf("# mpk_soak\n\n%s\n", bench::machine_line().c_str());
  std::printf(
    "%.1f min (warm-up %.0f), restarts every %.2f min, %d list browsers, %d watchers of %d phones, churn %.0f/s, "
    "%d devices in %d domains, %d tenants, deadline %d ms, load average at the start %.1f\n\n",
    minutes, warmup_min, period_min, clients, watchers, pop.live_phones, churn_rate, pop.devices, pop.domains,
    pop.tenants, deadline_ms, load_average());
  std::fflush(stdout);

  deployment dep(pop, bench::has_flag(argc, argv, "--keep-logs"));
  if (!dep.start()) {
    std::fprintf(stderr, "the deployment did not start: %s\n", dep.error.c_str());
    return 2;
  }
  std::printf("deployment up (logs in %s): %zu devices listed, %zu live phones, %zu devices to churn\n\n",
              dep.log_dir().c_str(), dep.listed, dep.phone_ids.size(), dep.churn_targets.size());

  soak_counters counters;
  net::io_runtime io(1);
  client_env env;
  env.io = &io;
  env.port = dep.gateway_port();
  env.documented_codes = documented_error_codes(MPK_SOAK_PROTOCOL_DOC);
  env.deadline = std::chrono::milliseconds(deadline_ms);
  env.counters = &counters;
  if (env.documented_codes.empty()) {
    std::fprintf(stderr, "cannot read the documented error codes from %s\n", MPK_SOAK_PROTOCOL_DOC);
    return 2;
  }
  std::string codes;
  for (auto& c : env.documented_codes) codes += (codes.empty() ? "" : " ") + c;
  std::printf("documented error codes: %s\n\n", codes.c_str());

  auto processes = [&] {
    auto p = dep.processes();
    p.emplace_back("soak", static_cast<int>(::getpid()));
    return p;
  };
  rss_sampler rss(processes, std::chrono::seconds(sample_s));
  rss.sample();
  rss.start();

  const login_as op{"/tenant1.example.com/myphonekeys", "admin", test::cluster_operator_password};
  auto tenant_user = [&](int i) {
    auto t = std::to_string(i % dep.tenants() + 1);
    return login_as{"/tenant" + t + ".example.com/myphonekeys", "user" + std::to_string(i), test::cluster_app_password};
  };
  std::vector<std::shared_ptr<app_client>> fleet;
  for (int i = 0; i < clients; ++i) {
    // Half operators with the whole list (every change reaches them), half a tenant's users,
    // every other of those with only the online devices.
    list_role role;
    bool as_operator = i % 2 == 0;
    role.every_change = as_operator;
    role.online_only = i % 4 == 3;
    fleet.push_back(std::make_shared<list_client>(env, as_operator ? op : tenant_user(i / 2),
                                                  "list" + std::to_string(i), 1000u + static_cast<unsigned>(i), role));
  }
  for (int i = 0; i < watchers; ++i)
    fleet.push_back(std::make_shared<phone_watcher>(
      env, op, "watch" + std::to_string(i), 5000u + static_cast<unsigned>(i),
      dep.phone_ids[static_cast<std::size_t>(i) % dep.phone_ids.size()], &dep.phone_ids));
  for (std::size_t i = 0; i < fleet.size(); ++i) {
    fleet[i]->start();
    if (i % 10 == 9) std::this_thread::sleep_for(100ms);
  }

  churn changes(dep.sim_base(), dep.churn_targets, churn_rate);
  changes.start();

  report out(rss, counters);
  out.header();
  // The schedule counts from here, when the deployment is up and the load begins.
  const double start_s = soak_seconds();
  const double period_s = period_min * 60.0, end_s = start_s + minutes * 60.0;
  double next_registry = start_s + period_s, next_devices = start_s + period_s / 2;
  double next_row = start_s + report_min * 60.0;
  std::vector<std::string> events;
  bool failed_restart = false;
  heap_sampler heap;
  // Halfway into each interval: away from the restarts (every 5 min, one or the other), whose
  // bursts would be read as the level.
  double next_heap = heap_min > 0 ? start_s + heap_min * 30.0 : end_s + 1;
  auto heap_processes = [&] {
    auto p = dep.processes();
    auto chosen = [&](const std::string& name) {
      // "phone-session-2" (one of several) is chosen by "phone-session".
      auto digits = name.find_last_not_of("0123456789");
      auto base = digits + 1 < name.size() && name[digits] == '-' ? name.substr(0, digits) : name;
      return heap_of.find("," + base + ",") != std::string::npos;
    };
    p.erase(std::remove_if(p.begin(), p.end(), [&](auto& x) { return !chosen(x.first); }), p.end());
    return p;
  };
  while (!interrupted && soak_seconds() < end_s) {
    std::this_thread::sleep_for(200ms);
    auto t = soak_seconds();
    if (t >= end_s) break;
    if (t >= next_devices) {
      next_devices += period_s;
      changes.pause_for(std::chrono::milliseconds(down_ms + 8000));
      counters.devices_restart_at = t;
      bool ok = dep.restart_devices(down_ms);
      counters.note(std::string("Devices App restart (down ") + std::to_string(down_ms) + " ms)" +
                    (ok ? "" : ": FAILED"));
      events.push_back(std::to_string(t / 60).substr(0, 5) + " min: Devices App restart");
    }
    if (t >= next_registry) {
      next_registry += period_s;
      bool ok = dep.restart_registry();
      counters.note(std::string("registry kill -9 and start") + (ok ? "" : ": FAILED " + dep.error));
      events.push_back(std::to_string(t / 60).substr(0, 5) + " min: registry kill -9 and start");
      if (!ok) {
        failed_restart = true;
        break;
      }
    }
    if (t >= next_row) {
      next_row += report_min * 60.0;
      out.row(changes.changes());
    }
    if (t >= next_heap) {
      next_heap += heap_min * 60.0;
      heap.sample(heap_processes());
    }
  }
  if (heap_min > 0 && !interrupted) heap.sample(heap_processes());
  changes.stop();
  // The requests still open get their answer or their deadline before the clients go.
  for (auto until = std::chrono::steady_clock::now() + env.deadline + 2s;
       counters.open_now > 0 && std::chrono::steady_clock::now() < until;)
    std::this_thread::sleep_for(100ms);
  rss.sample();
  out.row(changes.changes());
  rss.stop();
  for (auto& c : fleet) c->stop();
  std::this_thread::sleep_for(1s);
  io.stop();

  std::printf("\nrestarts:\n");
  for (auto& e : events) std::printf("- %s\n", e.c_str());
  std::printf("churn: %llu changes, %llu failed\n", static_cast<unsigned long long>(changes.changes()),
              static_cast<unsigned long long>(changes.failures()));
  heap.print(start_s + warmup_min * 60.0);
  verdict_limits limits;
  if (!smoke)
    for (auto& [name, pid] : dep.processes())
      if (name != "sim") limits.judged.push_back(name);
  bool pass =
    out.finish(start_s + warmup_min * 60.0, std::min(5.0, std::max(1.0, (minutes - warmup_min) / 4.0)) * 60.0, limits);
  return pass && !failed_restart && !interrupted ? 0 : 1;
}
