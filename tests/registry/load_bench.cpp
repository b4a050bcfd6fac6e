// Prints what a 100,000-device snapshot costs the registry, stage by stage, in thread CPU time
// (a program, not a test: timings are reported, never asserted). The frames have the shape the
// simulated Devices App sends (chunks of 500, a passthrough uri per device); the second load has
// 1 % of the devices renamed, as after a Devices restart. Also what the loaded model holds on the
// heap per device (malloc's bytes in use, the model and its index; no transient buffers).
//
//   registry_load_bench [devices] [domains] [repeats]

#include "common/json/envelope.hpp"
#include "common/json/writer.hpp"
#include "services/registry/device_model.hpp"
#include "services/registry/devices_sync.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <malloc.h>
#include <string>
#include <vector>

using namespace mpk;
using namespace mpk::registry;

namespace {

double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

std::string src_of(const std::string& frame) {
  json::envelope_parser p;
  json::envelope_errc e{};
  auto env = p.parse(frame, e);
  return env ? std::string(env->src()) : std::string();
}

/// GetDevicesResult frames of `devices` devices in `domains` domains; `renamed` of them renamed.
std::vector<std::string> device_frames(const std::string& src, std::size_t devices, std::size_t domains,
                                       std::size_t renamed) {
  static const char* names[] = {"Anna", "Ben", "Clara", "David", "Eva", "Felix", "Greta", "Hugo"};
  std::vector<std::string> frames;
  json::json_writer w;
  for (std::size_t pos = 0; pos < devices;) {
    auto end = std::min(devices, pos + 500);
    w.clear();
    w.begin_object().member("mt", "GetDevicesResult").member("src", src).key("devices").begin_array();
    for (; pos < end; ++pos) {
      char hw[13];
      std::snprintf(hw, sizeof hw, "009033%06x", static_cast<unsigned>((pos + 1) & 0xffffff));
      auto name = std::string(names[pos % 8]) + " " + std::to_string(1000 + pos);
      if (pos % 100 == 7 && renamed) name = "Renamed " + std::to_string(pos);
      auto ip = "10." + std::to_string((pos >> 16) & 255) + "." + std::to_string((pos >> 8) & 255) + "." +
                std::to_string(pos & 255);
      w.begin_object()
        .member("id", static_cast<std::int64_t>(pos + 1))
        .member("hwId", hw)
        .member("name", name)
        .member("domainId", static_cast<std::int64_t>(2 + (pos * 7919) % domains))
        .member("product", "IP232")
        .member("version", "13r3 sr12 [13.4567]")
        .member("type", "PHONE")
        .member("pbxActive", false)
        .member("online", pos % 10 < 7)
        .member("hasLeaseLicenses", false);
      w.key("ethIfs").begin_array().begin_object().member("if", "ETH0").member("ipv4", ip).end_object().end_array();
      w.member("uri", std::string("http://127.0.0.1:8080/example.com/devices/passthrough/") + hw + "/K/");
      w.end_object();
    }
    w.end_array().member("last", pos >= devices).end_object();
    frames.push_back(w.take());
  }
  return frames;
}

struct figures {
  double sync_ms = 0, model_ms = 0, settle_ms = 0;
  std::size_t changes = 0;
};

/// One session: the sync conversation over `frames`, then the snapshot into the model.
figures load(device_model& m, std::size_t devices, std::size_t domains, std::size_t renamed) {
  devices_sync s("t/devices", "t", "ws://127.0.0.1:8080/example.com/devices/innovaphone-devices-api");
  auto src = src_of(s.start());
  auto r = s.on_frame(R"({"mt":"GetUserInfoResult","src":")" + src + R"(","key":"K","admin":true})");
  json::json_writer w;
  w.begin_object().member("mt", "GetDomainsResult").member("src", src_of(r.send.at(0))).key("domains").begin_array();
  for (std::size_t d = 1; d <= domains + 1; ++d)
    w.begin_object()
      .member("id", static_cast<std::int64_t>(d))
      .member("name", "dom" + std::to_string(d) + ".example.com")
      .end_object();
  w.end_array().member("last", true).end_object();
  r = s.on_frame(w.take());
  auto frames = device_frames(src_of(r.send.at(0)), devices, domains, renamed);
  figures f;
  auto t0 = thread_cpu_ms();
  for (const auto& frame : frames) s.on_frame(frame);
  auto snap = s.take_snapshot();
  auto t1 = thread_cpu_ms();
  f.changes = m.replace_link(snap.link, snap.tenant, snap.domains, std::move(snap.device_chunks)).size();
  auto t2 = thread_cpu_ms();
  device_query q;
  q.limit = 1;
  m.query(q); // the first read settles the index
  auto t3 = thread_cpu_ms();
  f.sync_ms = t1 - t0;
  f.model_ms = t2 - t1;
  f.settle_ms = t3 - t2;
  return f;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

} // namespace

int main(int argc, char** argv) {
  std::size_t devices = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 100000;
  std::size_t domains = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 1000;
  int repeats = argc > 3 ? std::atoi(argv[3]) : 5;
  std::vector<double> sync, model, settle, rsync, rmodel, rsettle;
  std::size_t changes = 0, rchanges = 0;
  double heap_per_device = 0;
  for (int i = 0; i < repeats; ++i) {
    auto heap0 = mallinfo2().uordblks;
    device_model m;
    auto a = load(m, devices, domains, 0);
    heap_per_device = static_cast<double>(mallinfo2().uordblks - heap0) / static_cast<double>(devices);
    auto b = load(m, devices, domains, 1);
    sync.push_back(a.sync_ms), model.push_back(a.model_ms), settle.push_back(a.settle_ms);
    rsync.push_back(b.sync_ms), rmodel.push_back(b.model_ms), rsettle.push_back(b.settle_ms);
    changes = a.changes, rchanges = b.changes;
  }
  std::printf("load of %zu devices in %zu domains (thread CPU, median of %d):\n", devices, domains, repeats);
  std::printf("  parse + sync %.1f ms, model %.1f ms, index settle %.1f ms: %.1f ms, %zu changes\n", median(sync),
              median(model), median(settle), median(sync) + median(model) + median(settle), changes);
  std::printf("  the model's heap: %.0f bytes per device\n", heap_per_device);
  std::printf("reload with 1 %% renamed:\n");
  std::printf("  parse + sync %.1f ms, model diff %.1f ms, index settle %.1f ms: %.1f ms, %zu changes\n", median(rsync),
              median(rmodel), median(rsettle), median(rsync) + median(rmodel) + median(rsettle), rchanges);
  return 0;
}
