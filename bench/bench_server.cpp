// mpk_bench_server: the product's back end as the benchmarks drive it — the registry (logging in
// to the simulated Devices App with the instance password, an admin login as a tenant's PBX
// would grant it) and the gateway (operator password login) in one actor system, like
// mpk-allinone, but without the simulator in the process so that its CPU and memory are the
// product's own.
//
// Phase 1 (target 1): time from the PBX's grant to a complete model, CPU and RSS of this process;
// then (with --resync=N) a Devices App restart with N changes while it is down: time to a
// resynchronised model and the number of device records the registry emitted to a subscriber.
// Phase 2: prints `ready port=<gateway port>` and serves until stdin closes (the driver's pipe).
// With --phones the phone sessions run in the same actor system (as in mpk-allinone), so that
// browsers can Watch phones (the LCD benchmark); --poll-ms is their fastest LCD poll.
//
//   mpk_bench_server --sim=http://127.0.0.1:<port> [--resync=1000] [--down-ms=300] [--io-threads=1]
//                    [--fanout-linger-ms=<the product's default>]
//                    [--phones] [--poll-ms=250] [--trace=lcd,link,appws,app] [--heap=default|registry]

#include "bench/bench_util.hpp"
#include "bench/http_call.hpp"
#include "bench/sim_state.hpp"
#include "common/actors/atoms.hpp"
#include "common/actors/system_config.hpp"
#include "common/base/heap_tuning.hpp"
#include "common/base/log.hpp"
#include "common/crypto/login_digest.hpp"
#include "common/models/catalog.hpp"
#include "common/models/keyboard_layouts.hpp"
#include "common/net/io_runtime.hpp"
#include "services/gateway/gateway.hpp"
#include "services/phone-session/src/phone_manager.hpp"
#include "services/registry/registry.hpp"

#include <caf/actor_system.hpp>
#include <sstream>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <atomic>
#include <csignal>
#include <map>
#include <iostream>
#include <thread>

using namespace mpk;
using namespace mpk::bench;
using namespace std::chrono_literals;

namespace {

constexpr const char* tenant = "tenant1.example.com";

/// The PBX link's part (as in the registry's live tests): service logins computed with the
/// instance password and the instance domain of the Devices instance granted under that name.
pbx_link_actor::behavior_type fake_pbx(pbx_link_actor::pointer, std::map<std::string, sim_instance> granted) {
  return {
    [=](atom::svc_login, const std::string& app, const std::string& challenge) -> caf::result<service_login> {
      auto it = granted.find(app);
      if (it == granted.end()) return caf::make_error(caf::sec::invalid_argument, "no such service granted");
      const auto& domain = it->second.domain;
      const auto& password = it->second.password;
      service_login l;
      l.app = app;
      l.domain = domain;
      l.sip = "myphonekeys";
      l.guid = "3b7e5a2c-0000-4000-8000-000000000001";
      l.dn = "myPhoneKeys";
      l.pbx_obj = "myphonekeys";
      l.info = R"({"appobj":"myphonekeys","appdn":"myPhoneKeys","apps":[]})";
      l.digest = crypto::login_digest({l.app, l.domain, l.sip, l.guid, l.dn, l.info}, challenge, password);
      return l;
    },
  };
}

struct delta_counter {
  std::atomic<std::uint64_t> records{0}, messages{0};
  std::atomic<std::int64_t> last_us{0};
};

/// A subscriber that only counts what the registry emits.
caf::behavior counting_subscriber(caf::event_based_actor*, std::shared_ptr<delta_counter> c) {
  return {
    [=](const device_delta& d) {
      c->records += d.added.size() + d.changed.size() + d.removed.size();
      c->messages++;
      c->last_us = wall_us();
    },
    [=](const device_page&) {},
  };
}

std::uint64_t total_devices(caf::scoped_actor& self, const registry_actor& reg) {
  device_query q;
  q.limit = 1;
  std::uint64_t total = 0;
  self->request(reg, 5s, atom::query_v, q)
    .receive([&](const device_page& p) { total = p.total; }, [](const caf::error&) {});
  return total;
}

std::string status_of(caf::actor_system& sys, const registry_actor& reg) {
  caf::scoped_actor self{sys};
  std::string out;
  self->request(reg, 5s, atom::status_v).receive([&](const std::string& s) { out = s; }, [](const caf::error&) {});
  return out;
}

/// Whether the link `id` of the status is up (its state is the member after its id).
bool link_up(const std::string& status, const std::string& id) {
  constexpr std::string_view up = R"("state":"up")";
  auto at = status.find(R"("id":")" + id + "\"");
  if (at != std::string::npos) at = status.find(R"("state":")", at);
  return at != std::string::npos && status.compare(at, up.size(), up) == 0;
}

/// Links of the status that are past their login (loading or up).
std::size_t links_logged_in(const std::string& status) {
  std::size_t n = 0;
  for (const char* state : {R"("state":"up")", R"("state":"loading")"})
    for (auto at = status.find(state); at != std::string::npos; at = status.find(state, at + 1)) ++n;
  return n;
}

} // namespace

int main(int argc, char** argv) {
  // --heap=registry: the heap of the split deployment's registry process (mpk-registry, see
  // common/base/heap_tuning.hpp); the default is glibc's, as in mpk-allinone.
  if (arg(argc, argv, "heap", "default") == "registry") tune_heap_for_registry();
  std::signal(SIGPIPE, SIG_IGN);
  // --trace=lcd,link: the product's trace categories, for a look at what a run does.
  std::stringstream traces(arg(argc, argv, "trace", ""));
  for (std::string name; std::getline(traces, name, ',');)
    if (auto c = log::category_from(name)) log::set_trace(*c, true);
  auto sim_base = arg(argc, argv, "sim", "");
  auto resync = std::stoi(arg(argc, argv, "resync", "0"));
  auto down_ms = std::stoi(arg(argc, argv, "down-ms", "300"));
  auto io_threads = std::stoi(arg(argc, argv, "io-threads", "1"));
  auto with_phones = has_flag(argc, argv, "--phones");
  auto poll_ms = std::stoi(arg(argc, argv, "poll-ms", std::to_string(phone_options{}.min_interval.count())));
  auto instances = read_sim_instances(sim_base);
  if (instances.empty()) {
    std::cerr << "cannot read the simulator's state at " << sim_base << "\n";
    return 1;
  }
  std::string err;
  auto catalog = models::catalog::load(MPK_MODELS_DIR, err);
  auto layouts = models::keyboard_layouts::load(MPK_MODELS_DIR, err);
  if (!catalog || !layouts) {
    std::cerr << "cannot load the model data: " << err << "\n";
    return 1;
  }

  net::io_runtime io{io_threads};
  system_config cfg;
  // --caf-threads=N: CAF's workers (the product's default is one per core).
  if (auto n = std::stoi(arg(argc, argv, "caf-threads", "0")); n > 0)
    cfg.set("scheduler.max-threads", static_cast<size_t>(n));
  auto sys = std::make_unique<caf::actor_system>(cfg);
  registry::registry_options ro;
  ro.io = &io;
  ro.catalog = &*catalog;
  // --sim-tls-ca: the simulator runs as an App Platform on wss/https with this CA's certificate.
  auto sim_ca = arg(argc, argv, "sim-tls-ca", "");
  ro.tls.ca_file = sim_ca;
  auto reg = registry::spawn_registry(*sys, ro);
  std::map<std::string, sim_instance> granted;
  for (const auto& in : instances) granted[devices_api_service(in)] = in;
  auto pbx = sys->spawn(fake_pbx, granted);
  gateway::gateway_options go;
  go.port = 0;
  go.operator_name = "bench";
  go.operator_password = "bench";
  go.fanout_linger = std::chrono::milliseconds(
    std::stoi(arg(argc, argv, "fanout-linger-ms", std::to_string(gateway::gateway_options{}.fanout_linger.count()))));
  // --tls-cert/--tls-key: the browsers' wss ends at the gateway (TLS and plain on one port).
  go.tls_certificate = arg(argc, argv, "tls-cert", "");
  go.tls_key = arg(argc, argv, "tls-key", "");
  auto gw = gateway::gateway::start(*sys, io, go, &*catalog, &*layouts, err);
  if (!gw) {
    std::cerr << "gateway: " << err << "\n";
    return 1;
  }
  gw->context().services.set_registry(reg);
  phone_manager_node_actor phones;
  if (with_phones) {
    phone_options po;
    po.io = &io;
    po.registry = reg;
    po.catalog = &*catalog;
    po.min_interval = std::chrono::milliseconds(poll_ms);
    po.tls = ro.tls;
    phones = spawn_phone_manager(*sys, po);
    gw->context().services.set_phones(phones);
  }
  // Every Devices instance granted, as an admin tenant's PBX grants them (one link each).
  pbx_info info;
  info.tenant = tenant;
  info.pbx = "pbx1";
  std::uint64_t assigned = 0;
  for (const auto& in : instances) {
    auto ws_url = devices_api_url(sim_base, in);
    if (!sim_ca.empty()) ws_url = "wss" + ws_url.substr(2);
    info.services.push_back({devices_api_service(in), "Devices", ws_url, true});
    assigned += in.assigned;
  }

  // -- phase 1: initial load ---------------------------------------------------------------
  note("mpk_bench_server " + machine_line());
  double rss0 = rss_mb();
  double cpu0 = cpu_ms();
  auto faults0 = minor_faults();
  auto t0 = clock::now();
  caf::anon_send(reg, atom::pbx_up_v, info, pbx);
  std::uint64_t total = 0;
  double login_ms = 0;
  {
    // One asking actor, 10 ms apart: the harness's own CPU stays out of the load figure (a fresh
    // scoped_actor every 2 ms cost ~150 ms of CPU per second of waiting). First until every link
    // is past its login, then until the model holds every device.
    caf::scoped_actor asker{*sys};
    while (links_logged_in(status_of(*sys, reg)) < instances.size() && us_since(t0) < 120e6)
      std::this_thread::sleep_for(10ms);
    login_ms = us_since(t0) / 1000.0;
    while ((total = total_devices(asker, reg)) < assigned && us_since(t0) < 300e6) std::this_thread::sleep_for(10ms);
  }
  double load_ms = us_since(t0) / 1000.0;
  double load_cpu = cpu_ms() - cpu0;
  auto load_faults = minor_faults() - faults0;
  if (total != assigned) {
    std::cerr << "the registry holds " << total << " devices, the simulator " << assigned << "\n";
    return 1;
  }
  figure("registry.devices", static_cast<double>(total), "devices");
  figure("registry.links", static_cast<double>(instances.size()), "links");
  figure("registry.login_time", login_ms, "ms");
  figure("registry.load_time", load_ms, "ms");
  figure("registry.load_cpu", load_cpu, "ms");
  figure("registry.load_page_faults", static_cast<double>(load_faults), "faults");
  std::this_thread::sleep_for(200ms);
  figure("registry.rss_before_load", rss0, "MB");
  auto rss1 = rss_mb();
  figure("registry.rss", rss1, "MB");
  // What the process grew by for the model, its index and the links' sessions, per device.
  figure("registry.bytes_per_device", (rss1 - rss0) * 1024 * 1024 / static_cast<double>(total), "bytes");
  figure("registry.rss_peak", peak_rss_mb(), "MB");

  // -- phase 1b: resync after a Devices App restart --------------------------------------------
  if (resync > 0) {
    auto counter = std::make_shared<delta_counter>();
    auto sub = sys->spawn(counting_subscriber, counter);
    // The page and the deltas go to `sub`, the sender of the subscription.
    caf::send_as(sub, reg, atom::subscribe_v, device_query{}, std::uint64_t{0});
    std::this_thread::sleep_for(300ms);
    counter->records = 0;
    counter->messages = 0;
    auto cpu1 = cpu_ms();
    auto r = http_call("POST", sim_base + "/control/devices/restart?down_ms=" + std::to_string(down_ms) +
                                 "&change=" + std::to_string(resync));
    if (!r || r->status != 200) {
      std::cerr << "restart failed\n";
      return 1;
    }
    auto back_us = wall_us() + down_ms * 1000; // the instance accepts websockets again
    // Wait until the link went down and is up again, then until the deltas stop for 500 ms.
    auto t1 = clock::now();
    // The simulator restarts its first instance.
    auto first = std::string(tenant) + "/" + devices_api_service(instances.front());
    while (link_up(status_of(*sys, reg), first) && us_since(t1) < 5e6) std::this_thread::sleep_for(5ms);
    while (!link_up(status_of(*sys, reg), first) && us_since(t1) < 60e6) std::this_thread::sleep_for(5ms);
    auto up_us = wall_us();
    while (wall_us() - std::max<std::int64_t>(counter->last_us, up_us) < 500000) std::this_thread::sleep_for(10ms);
    auto done_us = std::max<std::int64_t>(counter->last_us, up_us);
    figure("registry.resync_changes_made", resync, "changes");
    figure("registry.resync_time", (done_us - back_us) / 1000.0, "ms");
    figure("registry.resync_link_up", (up_us - back_us) / 1000.0, "ms");
    figure("registry.resync_records_emitted", static_cast<double>(counter->records), "records");
    figure("registry.resync_messages_emitted", static_cast<double>(counter->messages), "messages");
    figure("registry.resync_cpu", cpu_ms() - cpu1 - 0.0, "ms");
    caf::scoped_actor asker{*sys};
    figure("registry.devices_after_resync", static_cast<double>(total_devices(asker, reg)), "devices");
    caf::anon_send_exit(sub, caf::exit_reason::user_shutdown);
  }

  // -- phase 2: serve the gateway until the driver closes stdin --------------------------------
  std::cout << "ready port=" << gw->port() << std::endl;
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line == "cpu") std::cout << "cpu " << cpu_ms() << std::endl;
  }
  gw->stop();
  caf::anon_send_exit(reg, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(pbx, caf::exit_reason::user_shutdown);
  if (phones) caf::anon_send_exit(phones, caf::exit_reason::user_shutdown);
  std::this_thread::sleep_for(300ms);
  gw.reset();
  reg = nullptr;
  pbx = nullptr;
  phones = nullptr;
  io.stop();
  sys.reset();
  return 0;
}
