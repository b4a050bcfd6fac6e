// The split topology as real processes on 127.0.0.1 with the simulator: list and watched phone,
// kill -9 and restart of the registry and of a phone-session node, a hung (SIGSTOPped) peer
// noticed by the heartbeat, two phone-session nodes sharing the phones, and SIGTERM exits.

#include "tests/cluster/topology.hpp"

#include "common/node/shard.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <iostream>
#include <map>
#include <set>
#include <sys/wait.h>

using namespace mpk;
using namespace std::chrono_literals;
using test::browser;
using test::topology;

namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point t) { return std::chrono::duration<double>(clock_type::now() - t).count(); }

/// The browser's list matches the simulator's devices: every listed device exists there with
/// the same online flag, and (when known) the list has the size it had after the first sync.
bool converged(const browser& b, unsigned short sim_port, std::size_t expected = 0) {
  auto sim = test::sim_devices(sim_port);
  if (sim.empty() || b.devices.empty() || b.devices.size() > sim.size()) return false;
  if (expected && b.devices.size() != expected) return false;
  for (auto& [id, d] : b.devices) {
    auto it = sim.find(d.hw_id);
    if (it == sim.end() || it->second != d.online) return false;
  }
  return true;
}

/// Device ids (in the product's list) of the simulator's connected live phones.
std::vector<std::string> live_device_ids(const browser& b, unsigned short sim_port) {
  std::vector<std::string> out;
  for (auto& hw : test::sim_live_phones(sim_port))
    for (auto& [id, d] : b.devices)
      if (d.hw_id == hw && d.online) out.push_back(id);
  return out;
}

/// SIGTERM, then exit status 0 within 10 s. When not, the test's output shows how the process ended
/// and its stderr from the first sanitizer report on (else the end of it), where the reason is.
bool exited_cleanly(test::child_process& p) {
  auto t0 = clock_type::now();
  p.signal(SIGTERM);
  auto st = p.wait_exit(10s);
  bool clean = st && WIFEXITED(*st) && WEXITSTATUS(*st) == 0;
  std::cout << "[exit] " << (st ? "exited" : "still running") << " " << seconds_since(t0) << " s after SIGTERM\n";
  if (!clean) {
    auto err = p.output(true);
    auto from = err.find("Sanitizer");
    if (from == std::string::npos) from = err.size() > 3000 ? err.size() - 3000 : 0;
    std::string how = !st              ? "still running after 10 s"
                      : WIFEXITED(*st) ? "exit status " + std::to_string(WEXITSTATUS(*st))
                                       : "signal " + std::to_string(WTERMSIG(*st));
    // Printed at once as well: a CI log keeps the head of a failing test's output, where
    // Catch's report comes last.
    std::cout << "[exit] SIGTERM: " << how << "; stderr:\n" << err.substr(from, 8000) << std::endl;
    UNSCOPED_INFO("SIGTERM: " << how << "; stderr:\n" << err.substr(from, 8000));
  }
  return clean;
}

struct started {
  net::io_runtime io{1};
  topology topo;
  std::unique_ptr<browser> b;
  std::string device;
  std::size_t listed = 0;

  /// `tls`: every link over TLS (topology::use_tls), the browser on wss.
  explicit started(const std::string& name, int phone_nodes = 1, bool watch = true, bool tls = false)
      : topo(name + (tls ? "-tls" : ""), phone_nodes) {
    if (tls) topo.use_tls();
    INFO(topo.error);
    REQUIRE(topo.start_all());
    b = std::make_unique<browser>(io, topo.gateway_port, test::cluster_operator_password, topo.ca_file);
    INFO(b->error);
    REQUIRE(b->ok());
    REQUIRE(b->subscribe());
    auto t0 = clock_type::now();
    // The first sync is complete when the list matches and stops growing.
    std::size_t last = 0;
    auto stable_since = clock_type::now();
    REQUIRE(b->pump_until(
      [&] {
        if (b->devices.size() != last) {
          last = b->devices.size();
          stable_since = clock_type::now();
        }
        return converged(*b, topo.sim_port) && clock_type::now() - stable_since > 1500ms;
      },
      40s));
    listed = b->devices.size();
    std::cout << "[" << name << "] device list converged (" << listed << " of "
              << test::sim_devices(topo.sim_port).size() << " simulator devices) " << seconds_since(t0)
              << " s after the subscription\n";
    if (!watch) return;
    std::vector<std::string> live;
    REQUIRE(b->pump_until([&] { return !(live = live_device_ids(*b, topo.sim_port)).empty(); }, 20s));
    device = live.front();
    INFO(b->error);
    REQUIRE(b->watch(device));
    REQUIRE(b->pump_until([&] { return b->frames > 0; }, 20s));
  }
  ~started() { io.stop(); }
};

} // namespace

TEST_CASE("cluster: three processes with the simulator serve the list and a watched phone, SIGTERM exits cleanly") {
  started s("basic");
  auto frames = s.b->frames;
  CHECK(frames > 0);
  auto health = test::http_get(s.topo.gateway_port, "/healthz");
  REQUIRE(health);
  CHECK(health->find("\"status\":\"ok\"") != std::string::npos);
  // Graceful shutdown of every process, gateway first (the browser is told and closed).
  CHECK(exited_cleanly(*s.topo.gateway));
  CHECK(s.b->pump_until([&] { return s.b->closed(); }, 10s));
  CHECK(exited_cleanly(*s.topo.phones[0]));
  CHECK(exited_cleanly(*s.topo.registry));
  CHECK(exited_cleanly(*s.topo.sim));
}

TEST_CASE("cluster: kill -9 of the registry, the browser stays connected and converges after the restart") {
  // Once as plain ws/http, once with TLS on every link (browser, PBX, devices-api, passthrough).
  auto tls = GENERATE(false, true);
  started s("registry-restart", 1, false, tls);
  auto resets = s.b->resets;
  s.topo.registry->signal(SIGKILL);
  REQUIRE(s.topo.registry->wait_exit(5s));
  // While it is down the gateway keeps the browser; /healthz says what is missing.
  REQUIRE(
    s.topo.gateway->wait_output("node-link 127.0.0.1:" + std::to_string(s.topo.registry_port) + ": lost", 10s, true));
  int status = 0;
  CHECK_FALSE(test::http_get(s.topo.gateway_port, "/healthz", &status));
  CHECK(status == 503);
  auto t0 = clock_type::now();
  REQUIRE(s.topo.start_registry());
  // The gateway re-announces the PBX link, the registry rebuilds from the devices-api, the
  // browser's subscription is renewed (a fresh QueryDevicesResult) and deltas follow.
  REQUIRE(s.b->pump_until([&] { return s.b->resets > resets && converged(*s.b, s.topo.sim_port, s.listed); }, 30s));
  std::cout << "[registry-restart] browser converged " << seconds_since(t0) << " s after the registry restart\n";
  CHECK_FALSE(s.b->closed());
  REQUIRE(test::http_get(s.topo.gateway_port, "/healthz"));
  CHECK(exited_cleanly(*s.topo.gateway));
}

TEST_CASE(
  "cluster: kill -9 of the registry under a client that watches and presses keys: every request answered "
  "with a documented code, the phone never offline, all converges") {
  started s("registry-kill-requests");
  const auto key = R"("device":")" + s.device + R"(","key":"D5")";
  auto ask_all = [&] {
    s.b->request("Key", key);
    s.b->request("QueryDevices", R"("limit":20)");
    s.b->request("GetDomains");
    s.b->request("GetStatus");
  };
  auto states_before = s.b->phone_states.size();
  s.topo.registry->signal(SIGKILL);
  REQUIRE(s.topo.registry->wait_exit(5s));
  // Requests all the time the registry is gone and while it comes back.
  auto t0 = clock_type::now();
  while (clock_type::now() - t0 < 4s) {
    ask_all();
    s.b->pump(250ms);
  }
  auto resets = s.b->resets;
  REQUIRE(s.topo.start_registry());
  // Converged: the subscription was renewed at the new registry (a fresh page) and matches the simulator.
  REQUIRE(s.b->pump_until(
    [&] {
      ask_all();
      return s.b->resets > resets && converged(*s.b, s.topo.sim_port, s.listed);
    },
    30s));
  std::cout << "[registry-kill-requests] converged " << seconds_since(t0) << " s after the kill\n";
  // Every request has its answer within the gateway's deadline (10 s) plus the time to pump it.
  s.b->pump_until(
    [&] {
      return std::all_of(s.b->answers.begin(), s.b->answers.end(), [](auto& a) { return !a.second.text.empty(); });
    },
    15s);
  // One line of what came back, so a failing run's log shows the answers before Catch's report.
  std::map<std::string, int> tally;
  std::chrono::steady_clock::duration slowest{};
  for (auto& [src, a] : s.b->answers) {
    test::json_doc d(a.text);
    ++tally[a.request_mt + " " + (a.text.empty() ? "(none)" : d.str("error").empty() ? "ok" : d.str("error"))];
    if (!a.text.empty()) slowest = std::max(slowest, a.answered - a.sent);
  }
  std::cout << "[registry-kill-requests] answers:";
  for (auto& [what, n] : tally) std::cout << " " << what << " " << n << ",";
  std::cout << " slowest " << std::chrono::duration<double>(slowest).count() << " s" << std::endl;
  std::size_t unavailable = 0;
  // Not OFFLINE: the Devices App never said the phone was offline.
  const std::set<std::string> documented{"SERVICE_UNAVAILABLE", "UNKNOWN_DEVICE"};
  for (auto& [src, a] : s.b->answers) {
    INFO(a.request_mt << " " << src << " -> " << a.text);
    REQUIRE_FALSE(a.text.empty());
    CHECK(a.answered - a.sent < 12s);
    test::json_doc d(a.text);
    auto error = d.str("error");
    if (error.empty()) continue;
    CHECK(documented.count(error) == 1);
    if (error == "SERVICE_UNAVAILABLE") {
      ++unavailable;
      CHECK(d.integer("retryAfterMs").value_or(0) > 0);
    }
  }
  CHECK(unavailable > 0); // the registry was really gone for a while
  // No words of the actor system or of a peer's internals reach the browser.
  for (auto& t : s.b->texts)
    for (auto word : {"system_error", "request_receiver_down", "request_timeout", "caf::", "sec::", "unexpected_"}) {
      INFO(t);
      CHECK(t.find(word) == std::string::npos);
    }
  // The phone never said offline: a restarting registry is not a phone that went away.
  for (std::size_t i = states_before; i < s.b->phone_states.size(); ++i) {
    INFO(s.b->phone_states[i].first << ": " << s.b->phone_states[i].second);
    CHECK(s.b->phone_states[i].first != "offline");
    CHECK(s.b->phone_states[i].first != "error");
  }
  // The phone works again: a key press is accepted and changes the screen the browser sees.
  auto frames = s.b->frames;
  auto press = s.b->request("Key", key);
  CHECK(s.b->pump_until([&] { return !s.b->answers[press].text.empty(); }, 20s));
  CHECK(s.b->answers[press].text.find("\"ok\":true") != std::string::npos);
  CHECK(s.b->pump_until([&] { return s.b->frames > frames; }, 20s));
  for (std::size_t i = states_before; i < s.b->phone_states.size(); ++i)
    std::cout << "[registry-kill-requests] PhoneState " << s.b->phone_states[i].first << " "
              << s.b->phone_states[i].second << "\n";
  CHECK(exited_cleanly(*s.topo.gateway));
}

TEST_CASE("cluster: kill -9 of the phone-session process, the watched phone's frames resume after the restart") {
  auto tls = GENERATE(false, true);
  started s("phones-restart", 1, true, tls);
  s.topo.phones[0]->signal(SIGKILL);
  REQUIRE(s.topo.phones[0]->wait_exit(5s));
  REQUIRE(
    s.topo.gateway->wait_output("node-link 127.0.0.1:" + std::to_string(s.topo.phone_ports[0]) + ": lost", 10s, true));
  s.b->pump(500ms);
  auto frames = s.b->frames;
  auto t0 = clock_type::now();
  REQUIRE(s.topo.start_phones(0));
  REQUIRE(s.b->pump_until([&] { return s.b->frames > frames; }, 30s));
  std::cout << "[phones-restart] frames resumed " << seconds_since(t0) << " s after the phone-session restart\n";
  CHECK_FALSE(s.b->closed());
  CHECK(s.topo.phones[0]->wait_output("phone_session " + s.device + ":", 5s, true));
}

TEST_CASE("cluster: a hung (SIGSTOP) peer is noticed within seconds by the heartbeat") {
  started s("hung-peer", 1, false);
  auto t0 = clock_type::now();
  s.topo.registry->signal(SIGSTOP);
  // No TCP reset comes from a stopped process: only the BASP heartbeat timeout can tell.
  auto needle = "node-link 127.0.0.1:" + std::to_string(s.topo.registry_port) + ": lost";
  REQUIRE(s.topo.gateway->wait_output(needle, 30s, true));
  std::cout << "[hung-peer] the gateway noticed the stopped registry after " << seconds_since(t0) << " s\n";
  REQUIRE(s.topo.phones[0]->wait_output(needle, 10s, true));
  s.topo.registry->signal(SIGCONT);
  CHECK_FALSE(s.b->closed());
}

TEST_CASE("cluster: two phone-session nodes share the phones, stopping one moves its phones to the other") {
  started s("two-nodes", 2, false);
  // Both nodes known to the gateway's router before any Watch: else every phone lands on the one
  // that linked first (and moves later), which is not what this case is about.
  REQUIRE(s.topo.gateway->wait_output("2 phone-session node(s) up", 20s, true));
  std::vector<std::string> live;
  REQUIRE(s.b->pump_until([&] { return (live = live_device_ids(*s.b, s.topo.sim_port)).size() >= 4; }, 20s));
  // One browser per phone (one watched phone per connection).
  std::vector<std::unique_ptr<browser>> watchers;
  for (auto& d : live) {
    auto w = std::make_unique<browser>(s.io, s.topo.gateway_port);
    REQUIRE(w->ok());
    INFO(d << " " << w->error);
    REQUIRE(w->watch(d));
    watchers.push_back(std::move(w));
  }
  for (auto& w : watchers) REQUIRE(w->pump_until([&] { return w->frames > 0; }, 20s));
  auto on = [&](std::size_t node, const std::string& d) {
    return s.topo.phones[node]->output(true).find("phone_session " + d + ":") != std::string::npos;
  };
  // Where each phone must be: rendezvous hashing over the nodes' peer names (the ports are new
  // every run, so with a handful of phones all of them may hash to one node).
  std::vector<std::string> names;
  for (auto port : s.topo.phone_ports) names.push_back("127.0.0.1:" + std::to_string(port));
  std::vector<std::string> placed[2];
  for (auto& d : live) {
    auto expected = cluster::owner_of(d, names) == names[0] ? 0u : 1u;
    INFO(d << " expected on node " << expected);
    CHECK(on(expected, d));
    CHECK_FALSE(on(1 - expected, d)); // each phone on exactly one node
    placed[expected].push_back(d);
  }
  INFO("node 0: " << placed[0].size() << ", node 1: " << placed[1].size());
  // The node with phones leaves (orderly): its phones move to the other and their frames resume.
  std::size_t leaving = placed[0].empty() ? 1 : 0, staying = 1 - leaving;
  auto& moving = placed[leaving];
  REQUIRE(!moving.empty());
  std::vector<std::size_t> before;
  for (auto& w : watchers) before.push_back(w->frames);
  auto t0 = clock_type::now();
  REQUIRE(exited_cleanly(*s.topo.phones[leaving]));
  for (std::size_t i = 0; i < live.size(); ++i) {
    if (std::find(moving.begin(), moving.end(), live[i]) == moving.end()) continue; // stays where it is
    INFO(live[i]);
    CHECK(watchers[i]->pump_until([&] { return watchers[i]->frames > before[i]; }, 30s));
  }
  std::cout << "[two-nodes] phones of the stopped node resumed on the other within " << seconds_since(t0) << " s\n";
  for (auto& d : moving) CHECK(s.topo.phones[staying]->wait_output("phone_session " + d + ":", 5s, true));
}

TEST_CASE("cluster: node links with TLS certificates connect, a node without them is refused") {
  topology t("tls", 0);
  auto d = t.dir;
  std::string gen = "cd '" + d +
                    "' && openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=mpk-ca -keyout ca.key -out ca.pem"
                    " && openssl req -newkey rsa:2048 -nodes -subj /CN=mpk-node -keyout node.key -out node.csr"
                    " && openssl x509 -req -in node.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -out node.pem";
  REQUIRE(std::system(("(" + gen + ") >/dev/null 2>&1").c_str()) == 0);
  std::vector<std::string> tls{"--node.tls.certificate=" + d + "/node.pem", "--node.tls.key=" + d + "/node.key",
                               "--node.tls.cafile=" + d + "/ca.pem"};
  auto reg_port = std::to_string(t.registry_port);
  test::child_process reg, gw_tls, gw_plain;
  auto args = tls;
  args.push_back("--node.port=" + reg_port);
  REQUIRE(reg.start(MPK_REGISTRY_BIN, args, d + "/registry"));
  REQUIRE(reg.wait_output("mpk-registry node on", 20s));
  CHECK(reg.output(true).find("unauthenticated") == std::string::npos);
  auto gw_args = [&](bool with_tls) {
    std::vector<std::string> a{"--gateway.port=0", "--node.registry=127.0.0.1:" + reg_port,
                               "--node.phones=127.0.0.1:" + std::to_string(test::free_port()), "--trace=link"};
    if (with_tls) a.insert(a.end(), tls.begin(), tls.end());
    return a;
  };
  REQUIRE(gw_tls.start(MPK_GATEWAY_BIN, gw_args(true), d + "/gw-tls"));
  REQUIRE(gw_plain.start(MPK_GATEWAY_BIN, gw_args(false), d + "/gw-plain"));
  auto link = "node-link 127.0.0.1:" + reg_port + ": ";
  CHECK(gw_tls.wait_output(link + "connected", 20s, true));
  CHECK(gw_plain.wait_output(link + "connect failed", 20s, true));
  CHECK(gw_plain.output(true).find(link + "connected") == std::string::npos);
  CHECK(gw_plain.output(true).find("WARNING: node links are unauthenticated") != std::string::npos);
  CHECK(exited_cleanly(gw_tls));
  CHECK(exited_cleanly(gw_plain));
  CHECK(exited_cleanly(reg));
}

TEST_CASE("cluster: a node refuses a non-loopback node port without TLS unless node.insecure is set") {
  topology t("insecure", 0);
  test::child_process reg;
  REQUIRE(reg.start(MPK_REGISTRY_BIN, {"--node.bind=0.0.0.0", "--node.port=0"}, t.dir + "/registry"));
  auto st = reg.wait_exit(20s);
  REQUIRE(st);
  CHECK(WIFEXITED(*st));
  CHECK(WEXITSTATUS(*st) == 2);
  CHECK(reg.output(true).find("node.insecure") != std::string::npos);
}
