// mpk_bench_phone_scale (target 4 end to end): N watched live phones, each changing its screen
// once per second, watched by N browser-like clients.
//
// Processes, all on this machine: `mpk-sim` with N live sysclient phones whose clock shows
// seconds (--clock-seconds), `mpk_bench_server --phones` (registry + gateway + phone sessions in
// one actor system, as mpk-allinone: the measured back end) and this driver with N websocket
// clients on one Asio thread (bench/lcd_watchers): operator login, Watch one phone each, FrameAck
// every frame, a Key every --key-every-ms.
//
// Per run: warm-up (the clients learn which rows the clock frames touch), then a changing phase
// (back-end CPU in cores, RSS per watched phone, frames and bytes per second at the clients,
// key → changed frame latency), then a quiet phase (the phones' clocks switched to minutes via
// the simulator's control; once the frames of earlier changes have drained, every byte the
// clients get is a byte for an unchanged screen; a window that crosses a minute is avoided).
// Medians of --runs runs.
//
//   mpk_bench_phone_scale [--phones=100] [--runs=3] [--seconds=20] [--quiet-seconds=10]
//                         [--warmup-seconds=5] [--key-every-ms=10000] [--poll-ms=250] [--smoke]
//                         [--server-trace=lcd]   (the back end's trace categories, on stderr)
//                         [--tls]   the simulator as an App Platform on https/wss (throw-away CA):
//                                   devices-api on wss, passthrough on https, phones' sysclients on wss

#include "bench/bench_util.hpp"
#include "bench/child.hpp"
#include "bench/http_call.hpp"
#include "bench/lcd_watchers.hpp"
#include "bench/load_gen.hpp"
#include "bench/sim_state.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <simdjson.h>

#include <algorithm>
#include <csignal>
#include <ctime>
#include <iostream>
#include <map>
#include <thread>

using namespace mpk;
using namespace mpk::bench;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = boost::asio::ip::tcp;

namespace {

struct run_options {
  int phones = 100, runs = 3, seconds = 20, quiet_seconds = 10, warmup_seconds = 5;
  int key_every_ms = 10000, poll_ms = 250;
  std::string server_trace, sim_io_threads;
  bool tls = false;
};

using figures = std::map<std::string, double>;

std::string self_dir(const char* argv0) {
  std::string p = argv0;
  auto slash = p.rfind('/');
  return slash == std::string::npos ? "." : p.substr(0, slash);
}

/// One websocket to the gateway whose every step has a deadline: a request the gateway never
/// answers fails the step instead of blocking the benchmark.
class timed_client {
public:
  explicit timed_client(int step_ms) : step_ms_(step_ms) {}

  bool open(unsigned short port) {
    load_options lo;
    lo.port = port;
    tcp::endpoint ep(boost::asio::ip::make_address(lo.host), port);
    if (!step([&](auto done) { ws_.next_layer().async_connect(ep, done); })) return false;
    ws_.read_message_max(64u << 20);
    if (!step([&](auto done) { ws_.async_handshake(lo.host, lo.path, done); })) return false;
    std::string r;
    if (!call(R"({"mt":"AppChallenge"})", "AppChallengeResult", r)) return false;
    if (!call(operator_login(lo, string_member(r, "challenge")), "AppLoginResult", r)) return false;
    return r.find("\"ok\":true") != std::string::npos;
  }
  /// Sends `request`, reads until the message whose mt is `result_mt`.
  bool call(const std::string& request, const std::string& result_mt, std::string& result) {
    ws_.text(true);
    if (!step([&](auto done) { ws_.async_write(boost::asio::buffer(request), done); })) return false;
    for (;;) {
      beast::flat_buffer b;
      if (!step([&](auto done) { ws_.async_read(b, done); })) return false;
      result = beast::buffers_to_string(b.data());
      if (string_member(result, "mt") == result_mt) return true;
    }
  }

private:
  /// Starts one async operation and runs it for at most step_ms; false on error or timeout.
  template <class Start>
  bool step(Start start) {
    bool finished = false;
    beast::error_code result;
    start([&](beast::error_code ec, auto&&...) { finished = true, result = ec; });
    ioc_.restart();
    ioc_.run_for(std::chrono::milliseconds(step_ms_));
    if (!finished) {
      beast::get_lowest_layer(ws_).close(); // the pending operation ends with an error
      ioc_.restart();
      ioc_.run_for(std::chrono::milliseconds(1000));
      return false;
    }
    return !result;
  }

  int step_ms_;
  boost::asio::io_context ioc_;
  websocket::stream<beast::tcp_stream> ws_{ioc_};
};

/// Device ids (as the app sees them) of every online supported device, paged through QueryDevices.
std::vector<std::string> online_devices(unsigned short port, std::size_t want, int timeout_ms) {
  auto t0 = clock::now();
  std::vector<std::string> ids;
  while (us_since(t0) < timeout_ms * 1000.0) {
    timed_client q(10000);
    ids.clear();
    if (q.open(port)) {
      for (std::size_t offset = 0;; offset += 500) {
        std::string r;
        if (!q.call(
              R"({"mt":"QueryDevices","src":"q","online":true,"limit":500,"offset":)" + std::to_string(offset) + "}",
              "QueryDevicesResult", r)) {
          note("QueryDevices got no answer within 10 s: trying again");
          break;
        }
        simdjson::dom::parser p;
        simdjson::dom::element doc;
        simdjson::dom::array devs;
        if (p.parse(r).get(doc) || doc["devices"].get(devs)) break;
        for (auto d : devs) {
          std::string_view id;
          bool supported = false;
          if (!d["id"].get(id) && !d["supported"].get(supported) && supported) ids.emplace_back(id);
        }
        if (devs.size() < 500) break;
      }
    }
    if (ids.size() >= want) return ids;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  return ids;
}

/// Sleeps until the wall clock is at least `need` seconds before the next minute, so that a
/// quiet window of `need` seconds sees no minute change on the phones' clocks.
void avoid_minute_change(int need) {
  auto sec = static_cast<int>(std::time(nullptr) % 60);
  if (sec + need + 2 >= 60) std::this_thread::sleep_for(std::chrono::seconds(60 - sec + 1));
}

bool one_run(const run_options& o, const std::string& dir, figures& f) {
  child sim({MPK_BENCH_SIM, "--port=0", "--devices=" + std::to_string(o.phones), "--domains=2", "--tenants=0",
             "--product-url=", "--live-phones=" + std::to_string(o.phones), "--clock-seconds=true",
             "--models-dir=" MPK_MODELS_DIR, "--io-threads=" + o.sim_io_threads, o.tls ? "--tls=true" : "--tls=false"});
  auto line = sim.wait_for("mpk-sim ", 60000);
  if (!line) {
    std::cerr << "the simulator did not start\n";
    return false;
  }
  auto sim_base = line->substr(8, line->find(' ', 8) - 8);
  // With --tls the control calls stay plain (the simulator's port takes both); the back end gets
  // the CA the simulator made, the simulator's summary names it.
  std::string sim_ca;
  if (auto at = line->find(" | tls CA "); at != std::string::npos)
    sim_ca = line->substr(at + 10, line->find(' ', at + 10) - at - 10);
  if (sim_base.rfind("https://", 0) == 0) sim_base = "http://" + sim_base.substr(8);
  auto t0 = clock::now();
  while (sim_instance_number(sim_base, "sysclients") < o.phones && us_since(t0) < 120e6)
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  if (sim_instance_number(sim_base, "sysclients") < o.phones) {
    std::cerr << "only " << sim_instance_number(sim_base, "sysclients") << " of " << o.phones << " phones connected\n";
    return false;
  }
  child server({dir + "/mpk_bench_server", "--sim=" + sim_base, "--phones", "--poll-ms=" + std::to_string(o.poll_ms),
                "--trace=" + o.server_trace, "--sim-tls-ca=" + sim_ca});
  auto ready = server.wait_for("ready port=", 120000);
  if (!ready) {
    std::cerr << "the back end did not come up\n";
    return false;
  }
  auto port = static_cast<unsigned short>(std::stoi(ready->substr(11)));
  auto devices = online_devices(port, static_cast<std::size_t>(o.phones), 60000);
  if (devices.size() < static_cast<std::size_t>(o.phones)) {
    std::cerr << "the registry lists " << devices.size() << " of " << o.phones << " phones online\n";
    return false;
  }
  devices.resize(static_cast<std::size_t>(o.phones));
  double rss_idle = rss_mb(server.pid());

  watch_options wo;
  wo.port = port;
  wo.devices = devices;
  wo.key_every_ms = o.key_every_ms;
  lcd_watchers w(wo);
  if (!w.start(180000)) {
    std::cerr << w.ready() << " of " << o.phones << " clients watching (" << w.failed()
              << " failed; first error: " << w.first_error() << ")\n";
    return false;
  }
  std::this_thread::sleep_for(std::chrono::seconds(o.warmup_seconds));

  // -- changing screens + keys ----------------------------------------------------------------
  auto c0 = w.counters();
  double cpu0 = cpu_ms(server.pid()), sim_cpu0 = cpu_ms(sim.pid()), own_cpu0 = cpu_ms();
  double pt0 = sim_instance_number(sim_base, "passthroughs");
  auto tm = clock::now();
  w.set_keys(true);
  std::this_thread::sleep_for(std::chrono::seconds(o.seconds));
  w.set_keys(false);
  double secs = us_since(tm) / 1e6;
  auto c1 = w.counters();
  double cpu1 = cpu_ms(server.pid()), sim_cpu1 = cpu_ms(sim.pid()), own_cpu1 = cpu_ms();
  double pt1 = sim_instance_number(sim_base, "passthroughs");
  double rss = rss_mb(server.pid());
  auto lat = w.take_key_latencies();

  f["backend_cores"] = (cpu1 - cpu0) / 1000.0 / secs;
  f["sim_cores"] = (sim_cpu1 - sim_cpu0) / 1000.0 / secs;
  f["driver_cores"] = (own_cpu1 - own_cpu0) / 1000.0 / secs;
  f["rss_per_phone"] = (rss - rss_idle) / o.phones;
  f["rss_total"] = rss;
  f["frames_per_s"] = static_cast<double>(c1.frames - c0.frames) / secs;
  f["frames_per_phone_s"] = f["frames_per_s"] / o.phones;
  f["full_frames_per_s"] = static_cast<double>(c1.full_frames - c0.full_frames) / secs;
  f["bytes_per_s"] = static_cast<double>(c1.frame_bytes - c0.frame_bytes) / secs;
  f["passthrough_per_s"] = (pt1 - pt0) / secs;
  f["keys_sent"] = static_cast<double>(c1.keys_sent - c0.keys_sent);
  f["keys_seen"] = static_cast<double>(lat.size());
  f["keys_lost"] = static_cast<double>(c1.keys_lost - c0.keys_lost);
  f["key_errors"] = static_cast<double>(c1.key_errors - c0.key_errors);
  f["key_p50"] = percentile(lat, 50);
  f["key_p99"] = percentile(lat, 99);
  f["seq_errors"] = static_cast<double>(c1.seq_errors);
  f["clients_dropped"] = static_cast<double>(c1.dropped);

  // -- quiet: every screen stands still ---------------------------------------------------------
  auto r = http_call("POST", sim_base + "/control/phones/clock?seconds=false");
  if (!r || r->status != 200) {
    std::cerr << "the simulator did not switch the clocks\n";
    return false;
  }
  // Frames of changes made before the switch drain first: until no frame came for 3 s (under
  // overload polls lag seconds behind the screens).
  auto td = clock::now();
  for (auto last = w.counters().frames;;) {
    std::this_thread::sleep_for(std::chrono::seconds(3));
    auto now = w.counters().frames;
    if (now == last || us_since(td) > 60e6) break;
    last = now;
  }
  f["drain_seconds"] = us_since(td) / 1e6;
  avoid_minute_change(o.quiet_seconds);
  auto q0 = w.counters();
  cpu0 = cpu_ms(server.pid());
  pt0 = sim_instance_number(sim_base, "passthroughs");
  auto tq = clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(o.quiet_seconds));
  secs = us_since(tq) / 1e6;
  auto q1 = w.counters();
  cpu1 = cpu_ms(server.pid());
  pt1 = sim_instance_number(sim_base, "passthroughs");
  f["unchanged_bytes"] = static_cast<double>(q1.frame_bytes - q0.frame_bytes);
  f["unchanged_frames"] = static_cast<double>(q1.frames - q0.frames);
  f["unchanged_polls_per_s"] = (pt1 - pt0) / secs;
  f["unchanged_backend_cores"] = (cpu1 - cpu0) / 1000.0 / secs;

  w.stop();
  server.stop();
  sim.stop(0);
  return true;
}

} // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  run_options o;
  bool smoke = has_flag(argc, argv, "--smoke");
  if (smoke) o.phones = 4, o.runs = 1, o.seconds = 3, o.quiet_seconds = 2, o.warmup_seconds = 2, o.key_every_ms = 1000;
  o.phones = std::stoi(arg(argc, argv, "phones", std::to_string(o.phones)));
  o.runs = std::stoi(arg(argc, argv, "runs", std::to_string(o.runs)));
  o.seconds = std::stoi(arg(argc, argv, "seconds", std::to_string(o.seconds)));
  o.quiet_seconds = std::stoi(arg(argc, argv, "quiet-seconds", std::to_string(o.quiet_seconds)));
  o.warmup_seconds = std::stoi(arg(argc, argv, "warmup-seconds", std::to_string(o.warmup_seconds)));
  o.key_every_ms = std::stoi(arg(argc, argv, "key-every-ms", std::to_string(o.key_every_ms)));
  o.poll_ms = std::stoi(arg(argc, argv, "poll-ms", std::to_string(o.poll_ms)));
  o.server_trace = arg(argc, argv, "server-trace", "");
  o.sim_io_threads = arg(argc, argv, "sim-io-threads", "2");
  o.tls = has_flag(argc, argv, "--tls");
  if (o.phones < 1 || o.runs < 1 || o.seconds < 1 || o.quiet_seconds < 1 || o.quiet_seconds > 50 ||
      o.key_every_ms < 1) {
    std::cerr << "phones, runs, seconds, key-every-ms must be >= 1; quiet-seconds 1..50\n";
    return 2;
  }
  auto dir = self_dir(argv[0]);
  note("mpk_bench_phone_scale " + machine_line());
  note("phones=" + std::to_string(o.phones) + " runs=" + std::to_string(o.runs) +
       " seconds=" + std::to_string(o.seconds) + " key-every-ms=" + std::to_string(o.key_every_ms) + " poll-ms=" +
       std::to_string(o.poll_ms) + (o.tls ? " tls (passthrough https, devices-api and sysclients wss)" : ""));
  // The TLS figures under their own name, beside the plain ones in docs/performance.md.
  const std::string prefix = o.tls ? "phone_scale_tls." : "phone_scale.";

  static const std::vector<std::pair<std::string, std::string>> units = {{"backend_cores", "cores"},
                                                                         {"sim_cores", "cores"},
                                                                         {"driver_cores", "cores"},
                                                                         {"rss_per_phone", "MB"},
                                                                         {"rss_total", "MB"},
                                                                         {"frames_per_s", "frames/s"},
                                                                         {"frames_per_phone_s", "frames/s"},
                                                                         {"full_frames_per_s", "frames/s"},
                                                                         {"bytes_per_s", "B/s"},
                                                                         {"passthrough_per_s", "requests/s"},
                                                                         {"keys_sent", "keys"},
                                                                         {"keys_seen", "keys"},
                                                                         {"keys_lost", "keys"},
                                                                         {"key_errors", "keys"},
                                                                         {"key_p50", "ms"},
                                                                         {"key_p99", "ms"},
                                                                         {"seq_errors", "frames"},
                                                                         {"clients_dropped", "clients"},
                                                                         {"drain_seconds", "s"},
                                                                         {"unchanged_bytes", "B"},
                                                                         {"unchanged_frames", "frames"},
                                                                         {"unchanged_polls_per_s", "requests/s"},
                                                                         {"unchanged_backend_cores", "cores"}};
  std::vector<figures> runs;
  for (int i = 0; i < o.runs; ++i) {
    figures f;
    if (!one_run(o, dir, f)) return 1;
    for (auto& [name, unit] : units) figure(prefix + "run" + std::to_string(i + 1) + "." + name, f[name], unit);
    runs.push_back(std::move(f));
  }
  for (auto& [name, unit] : units) {
    std::vector<double> v;
    for (auto& f : runs) v.push_back(f[name]);
    figure(prefix + name, median(v), unit);
  }
  return 0;
}
