// Hostile input end to end (issue 9): the whole product with its simulator (mpk-demo)
// runs as a child process on free ports; browsers that flood, stop reading, send oversize or
// malformed frames, ask for devices outside their scope, and phones that answer garbage or never.
// Each case checks that the attacker gets a clear refusal or a policy close, that another browser
// is unaffected, and that the service's own resident memory (VmRSS) stays within a generous bound.
// Every frame a browser receives is scanned for secrets (passwords, session keys, passthrough keys).

#include "common/crypto/login_digest.hpp"
#include "common/crypto/session_key.hpp"
#include "common/net/io_runtime.hpp"
#include "tests/hostile/child_process.hpp"
#include "tests/hostile/raw_ws.hpp"
#include "tests/sim/ws_client.hpp"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <thread>

using namespace mpk;
using test::child_process;
using test::json_doc;
using test::raw_ws;
using test::ws_client;
using namespace std::chrono_literals;

namespace {

constexpr const char* operator_password = "hostile-op-pw";
constexpr const char* app_password = "hostile-app-pw";
/// Memory growth allowed during one attack: far above what the service needs, far below what an
/// unbounded queue fills with the traffic sent here.
/// AddressSanitizer keeps freed memory in quarantine (256 MB by default), so its bound is larger.
#if defined(__SANITIZE_ADDRESS__)
constexpr long rss_growth_bound_kib = 600 * 1024;
#else
constexpr long rss_growth_bound_kib = 150 * 1024;
#endif

/// The product with a small simulator population and tight limits, so that the limits are hit.
struct product {
  std::filesystem::path dir;
  std::unique_ptr<child_process> proc;
  int gw_port = 0, sim_port = 0;
  std::string domain = "tenant1.example.com";

  product() {
    dir = std::filesystem::temp_directory_path() / ("mpk-hostile-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    // Passwords only from a config file (never on the command line, where ps shows them).
    auto cfg = dir / "secrets.conf";
    {
      std::ofstream out(cfg);
      out << "gateway.password = " << app_password << "\ngateway.operator-password = " << operator_password << "\n";
    }
    // MPK_DEMO overrides the binary (e.g. to attack a build from another configuration).
    const char* exe = std::getenv("MPK_DEMO");
    proc = std::make_unique<child_process>(
      exe && *exe ? exe : MPK_DEMO_EXE,
      std::vector<std::string>{"--gateway.port=0", "--sim.port=0", "--sim.devices=300", "--sim.live-phones=4",
                               "--gateway.max-message=65536", "--gateway.max-queue=262144", "--gateway.client-rate=50",
                               "--gateway.login-timeout=5", "--config=" + cfg.string(),
                               "--phone.request-timeout-ms=1500",
                               "--phone.audit-path=" + (dir / "audit.jsonl").string(),
                               // Frames traced: the log is scanned for secrets at the end (the trace masks them).
                               "--trace=appws"},
      (dir / "service.log").string());
    auto health = proc->wait_for_line("/healthz", 60s);
    INFO(proc->output());
    REQUIRE(!health.empty());
    std::smatch m;
    REQUIRE(std::regex_search(health, m, std::regex(R"(http://127\.0\.0\.1:(\d+)/healthz)")));
    gw_port = std::stoi(m[1]);
    auto shell = proc->wait_for_line("/shell/", 5s);
    REQUIRE(std::regex_search(shell, m, std::regex(R"(http://127\.0\.0\.1:(\d+)/shell/)")));
    sim_port = std::stoi(m[1]);
  }
  ~product() {
    proc->stop();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  std::string path() const { return "/" + domain + "/myphonekeys"; }
  std::string url() const { return "ws://127.0.0.1:" + std::to_string(gw_port) + path(); }
};

/// Every text frame any browser received in this test, for the secret scan.
struct frame_log {
  std::vector<std::string> frames;
  std::vector<std::string> secrets;
  void add(const std::string& f) { frames.push_back(f); }
  void check() const {
    for (auto& s : secrets)
      for (auto& f : frames) {
        INFO("secret " << s << " in frame " << f.substr(0, 300));
        CHECK(f.find(s) == std::string::npos);
      }
  }
};

/// The operator's password login (appwebsocket §5.3); records the session key as a secret.
bool operator_login(ws_client& c, frame_log& log) {
  c.send_text(R"({"mt":"AppChallenge"})");
  auto ch = c.next_mt("AppChallengeResult", 10s);
  if (!ch) return false;
  log.add(*ch);
  auto challenge = json_doc(*ch).str("challenge");
  std::string zeros(32, '0');
  auto digest =
    crypto::login_digest({"admin", "", "admin", zeros, "Admin", std::nullopt}, challenge, operator_password);
  log.secrets.push_back(crypto::session_key(challenge, operator_password));
  c.send_text(R"({"mt":"AppLogin","app":"admin","domain":"","sip":"admin","guid":")" + zeros +
              R"(","dn":"Admin","digest":")" + digest + "\"}");
  auto r = c.next_mt("AppLoginResult", 10s);
  if (!r) return false;
  log.add(*r);
  return json_doc(*r).boolean("ok") == true;
}

/// The same login over the raw client (which reads only when told to).
bool operator_login(raw_ws& c) {
  if (!c.send_text(R"({"mt":"AppChallenge"})")) return false;
  auto ch = c.next_containing("AppChallengeResult", 10s);
  if (!ch) return false;
  auto challenge = json_doc(*ch).str("challenge");
  std::string zeros(32, '0');
  auto digest =
    crypto::login_digest({"admin", "", "admin", zeros, "Admin", std::nullopt}, challenge, operator_password);
  c.send_text(R"({"mt":"AppLogin","app":"admin","domain":"","sip":"admin","guid":")" + zeros +
              R"(","dn":"Admin","digest":")" + digest + "\"}");
  auto r = c.next_containing("AppLoginResult", 10s);
  return r && json_doc(*r).boolean("ok") == true;
}

std::shared_ptr<ws_client> open_client(net::io_runtime& io, const product& p) {
  std::string err;
  auto c = ws_client::open(io, p.url(), &err);
  INFO(err);
  REQUIRE(c);
  return c;
}

/// A request and its result (frames before it are logged too).
std::string call(ws_client& c, frame_log& log, const std::string& req, const std::string& result_mt,
                 std::chrono::milliseconds timeout = 10s) {
  c.send_text(req);
  for (auto deadline = std::chrono::steady_clock::now() + timeout; std::chrono::steady_clock::now() < deadline;) {
    auto f = c.next(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()));
    if (!f) break;
    if (f->binary) continue;
    log.add(f->data);
    if (json_doc(f->data).str("mt") == result_mt) return f->data;
  }
  return {};
}

/// The registry has loaded the simulated devices: the ids of some online devices.
std::vector<std::string> wait_for_devices(ws_client& c, frame_log& log) {
  std::vector<std::string> ids;
  for (int i = 0; i < 60 && ids.empty(); ++i) {
    auto r = call(c, log, R"({"mt":"QueryDevices","src":"q","online":true,"limit":20})", "QueryDevicesResult");
    json_doc d(r);
    simdjson::dom::array arr;
    if (d.ok && !d.root["devices"].get(arr))
      for (auto dev : arr) {
        std::string_view id;
        if (!dev["id"].get(id)) ids.emplace_back(id);
      }
    if (ids.empty()) std::this_thread::sleep_for(500ms);
  }
  return ids;
}

/// A plain HTTP/1.1 request to the simulator's control API; the response text.
std::string control(int port, const std::string& method, const std::string& target, const std::string& body = "") {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<unsigned short>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string out;
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
    std::string req = method + " " + target +
                      " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\n"
                      "Content-Length: " +
                      std::to_string(body.size()) + "\r\n\r\n" + body;
    (void)::send(fd, req.data(), req.size(), MSG_NOSIGNAL);
    char buf[4096];
    ssize_t n;
    while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

/// The body of an HTTP response text.
std::string body_of(const std::string& response) {
  auto at = response.find("\r\n\r\n");
  return at == std::string::npos ? std::string() : response.substr(at + 4);
}

/// hwIds of the simulator's live phones that are connected (they answer passthrough requests).
std::vector<std::string> live_phones(int sim_port) {
  std::vector<std::string> out;
  json_doc d(body_of(control(sim_port, "GET", "/control/state")));
  simdjson::dom::array phones;
  if (!d.ok || d.root["livePhones"]["phones"].get(phones)) return out;
  for (auto ph : phones) {
    std::string_view hw;
    bool connected = false;
    if (!ph["hwId"].get(hw) && !ph["connected"].get(connected) && connected) out.emplace_back(hw);
  }
  return out;
}

/// The product's device id of a hwId (searched as the operator, who sees every tenant).
std::string device_id_of(ws_client& c, frame_log& log, const std::string& hw) {
  json_doc d(call(c, log, R"({"mt":"QueryDevices","src":"q","search":")" + hw + "\"}", "QueryDevicesResult"));
  simdjson::dom::array arr;
  std::string_view id;
  if (!d.ok || d.root["devices"].get(arr) || arr.size() == 0 || arr.at(0)["id"].get(id)) return {};
  return std::string(id);
}

/// Acknowledges a binary LCD frame (docs/app-protocol.md): the phone session polls a watched phone
/// only while a watcher can take the next frame, as a browser does.
void ack_frame(ws_client& c, const std::string& frame) {
  if (frame.size() < 19 || frame[0] != 'L') return;
  auto byte = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(frame[i])); };
  const std::uint32_t seq = byte(2) << 24 | byte(3) << 16 | byte(4) << 8 | byte(5);
  const std::size_t n = byte(18);
  if (frame.size() < 19 + n) return;
  c.send_text(R"({"mt":"FrameAck","device":")" + frame.substr(19, n) + R"(","seq":)" + std::to_string(seq) + "}");
}

/// Reads frames (acknowledging LCD frames) until `device` reports a PhoneState with one of
/// `wanted`; that frame (nullopt on timeout).
std::optional<std::string> wait_for_state(ws_client& c, frame_log& log, const std::string& device,
                                          std::initializer_list<const char*> wanted,
                                          std::chrono::milliseconds timeout) {
  for (auto until = std::chrono::steady_clock::now() + timeout; std::chrono::steady_clock::now() < until;) {
    auto f = c.next(200ms);
    if (!f) continue;
    if (f->binary) {
      ack_frame(c, f->data);
      continue;
    }
    log.add(f->data);
    json_doc d(f->data);
    if (d.str("mt") != "PhoneState" || d.str("device") != device) continue;
    for (auto w : wanted)
      if (d.str("state") == w) return f->data;
  }
  return std::nullopt;
}

/// The PhoneStates of `device` among the frames logged from `from` on.
std::vector<std::string> states_since(const frame_log& log, std::size_t from, const std::string& device) {
  std::vector<std::string> out;
  for (std::size_t i = from; i < log.frames.size(); ++i) {
    json_doc d(log.frames[i]);
    if (d.str("mt") == "PhoneState" && d.str("device") == device) out.push_back(d.str("state"));
  }
  return out;
}

/// The passthrough key is a random GUID (32 hex digits) the Devices App gives the registry, and
/// it sits in every passthrough URL: no browser frame may carry a passthrough URL or any such
/// token other than the all-zero operator GUID.
void check_no_passthrough_key(const frame_log& log) {
  std::regex guid_like("[0-9a-fA-F]{32}");
  for (auto& f : log.frames) {
    INFO(f.substr(0, 300));
    CHECK(f.find("/passthrough/") == std::string::npos);
    for (std::sregex_iterator it(f.begin(), f.end(), guid_like), end; it != end; ++it)
      CHECK(it->str() == std::string(32, '0'));
  }
}

} // namespace

TEST_CASE("hostile: frames before login, malformed and oversize frames, floods and slow readers") {
  product p;
  net::io_runtime io{1};
  frame_log log;
  log.secrets = {operator_password, app_password};

  auto good = open_client(io, p);
  REQUIRE(operator_login(*good, log));
  auto devices = wait_for_devices(*good, log);
  if (devices.empty()) FAIL("no devices loaded; service output:\n" << p.proc->output().substr(0, 4000));
  const long rss_start = p.proc->rss_kib();
  REQUIRE(rss_start > 0);

  SECTION("frames before login get refusals and no data") {
    auto c = open_client(io, p);
    for (auto req : {R"({"mt":"QueryDevices","src":1})", R"({"mt":"Watch","device":"x"})", R"({"mt":"GetStatus"})"}) {
      c->send_text(req);
      auto r = c->next(5s);
      REQUIRE(r);
      log.add(r->data);
      INFO(req << " -> " << r->data);
      CHECK(r->data.find("\"devices\"") == std::string::npos);
      CHECK(r->data.find("error") != std::string::npos);
    }
    c->send_binary(std::string(100, '\x01'));
    c->close();
  }

  SECTION("a connection that never logs in is closed by the login timeout") {
    raw_ws idle(p.gw_port, p.path());
    REQUIRE(idle.ok());
    // The gateway's login timeout is 5 s here (30 s by default); nothing is sent at all.
    auto code = idle.read_until_closed(60s);
    CHECK(code.has_value());
    CHECK(*code == 1008); // policy: "login timeout"
  }

  SECTION("a wrong operator password is refused and the connection closed") {
    auto c = open_client(io, p);
    c->send_text(R"({"mt":"AppChallenge"})");
    auto ch = c->next_mt("AppChallengeResult");
    REQUIRE(ch);
    std::string zeros(32, '0');
    auto digest = crypto::login_digest({"admin", "", "admin", zeros, "Admin", std::nullopt},
                                       json_doc(*ch).str("challenge"), "guess");
    c->send_text(R"({"mt":"AppLogin","app":"admin","domain":"","sip":"admin","guid":")" + zeros +
                 R"(","dn":"Admin","digest":")" + digest + "\"}");
    auto r = c->next_mt("AppLoginResult");
    REQUIRE(r);
    log.add(*r);
    CHECK(json_doc(*r).boolean("ok") == false);
    CHECK(c->wait_closed());
  }

  SECTION("malformed requests, unknown devices, malformed key ids and commands get clear errors") {
    auto c = open_client(io, p);
    REQUIRE(operator_login(*c, log));
    const std::string dev = devices.front();
    struct probe {
      std::string req, result;
    };
    std::vector<probe> probes = {
      {R"({"mt":"Watch","src":"w","device":"no-such-link:999999"})", "WatchResult"},
      {R"({"mt":"Watch","src":"w","device":""})", "WatchResult"},
      {R"({"mt":"Watch","src":"w","device":12})", "WatchResult"},
      {R"({"mt":"Key","src":"k","device":"no-such-link:1","key":"KEY_1"})", "KeyResult"},
      {R"({"mt":"Key","src":"k","device":")" + dev + R"(","key":"\u0000\u0001../../etc/passwd"})", "KeyResult"},
      {R"({"mt":"Key","src":"k","device":")" + dev + R"(","key":")" + std::string(5000, 'K') + R"("})", "KeyResult"},
      {R"({"mt":"Key","src":"k","device":")" + dev + R"(","key":"KEY_1","holdMs":-5})", "KeyResult"},
      {R"({"mt":"Action","src":"a","device":")" + dev + R"(","action":"<script>","arg":"\""})", "ActionResult"},
      {R"({"mt":"Touch","src":"t","device":")" + dev + R"(","x":-99999999999,"y":1e308})", "TouchResult"},
      {R"({"mt":"TypeKeys","src":"tk","device":")" + dev + R"(","layout":"nope","keys":[{"code":7}]})",
       "TypeKeysResult"},
      {R"({"mt":"QueryDevices","src":"q","limit":100000})", "QueryDevicesResult"},
      {R"({"mt":"QueryDevices","src":"q","offset":-1})", "QueryDevicesResult"},
      {R"({"mt":"GetModel","src":"m","product":"../../../../etc/passwd"})", "GetModelResult"},
      {R"({"mt":"NoSuchMessage","src":"n"})", "NoSuchMessageResult"},
    };
    for (auto& pr : probes) {
      auto r = call(*c, log, pr.req, pr.result);
      INFO(pr.req.substr(0, 200) << " -> " << r.substr(0, 300));
      REQUIRE(!r.empty());
      CHECK(json_doc(r).str("error") != "");
    }
    for (auto garbage : {"not json", "{\"mt\":", "[]", "{\"mt\":null}"}) {
      auto r = call(*c, log, garbage, "Error");
      INFO(garbage);
      CHECK(json_doc(r).str("error") == "BAD_FRAME");
    }
    // Still logged in and serving.
    CHECK(!call(*c, log, R"({"mt":"KeepAlive","src":"ka"})", "KeepAlive").empty());
  }

  SECTION("an oversize frame closes only that connection") {
    auto c = open_client(io, p);
    REQUIRE(operator_login(*c, log));
    c->send_text(R"({"mt":"KeepAlive","pad":")" + std::string(200 * 1024, 'x') + "\"}");
    CHECK(c->wait_closed(10s));
  }

  SECTION("a request flood is closed with a policy error; the other browser is unaffected") {
    raw_ws flood(p.gw_port, p.path(), 1 << 20);
    REQUIRE(flood.ok());
    REQUIRE(operator_login(flood));
    for (int i = 0; i < 2000; ++i)
      if (!flood.send_text(R"({"mt":"KeepAlive"})")) break;
    auto code = flood.read_until_closed(20s);
    REQUIRE(code.has_value());
    CHECK(*code == 1008); // policy violation: too many requests
  }

  SECTION("a browser that never reads does not grow memory without bound and is closed") {
    raw_ws slow(p.gw_port, p.path());
    REQUIRE(slow.ok());
    REQUIRE(operator_login(slow));
    // Large replies at a rate below the request cap (50/s): only the outgoing queue can grow.
    std::size_t sent = 0;
    // More replies than the kernel's socket buffers hold (a few MB on loopback) plus the queue cap.
    for (int i = 0; i < 1500; ++i) {
      if (!slow.send_text(R"({"mt":"QueryDevices","src":"s","limit":500})", 500ms)) break;
      ++sent;
      std::this_thread::sleep_for(22ms);
    }
    CHECK(sent > 10);
    const long rss_peak = p.proc->rss_kib();
    INFO("rss start " << rss_start << " KiB, during the stall " << rss_peak << " KiB");
    CHECK(rss_peak - rss_start < rss_growth_bound_kib);
    // The server gave up on it: reading now ends with a close (or a reset), not with 100 MB of replies.
    std::size_t bytes = 0;
    auto code = slow.read_until_closed(30s, &bytes);
    INFO("sent " << sent << " requests, then read " << bytes << " bytes");
    CHECK(code.has_value());
    CHECK(bytes < 64u * 1024 * 1024);
  }

  SECTION(
    "a phone that answers garbage or never answers: its watcher gets PhoneState error, other phones keep working") {
    auto c = open_client(io, p);
    REQUIRE(operator_login(*c, log));
    auto phones = live_phones(p.sim_port);
    REQUIRE(phones.size() >= 2);
    const std::string faulty_hw = phones[0], good_hw = phones[1];
    const std::string faulty = device_id_of(*c, log, faulty_hw), good_phone = device_id_of(*c, log, good_hw);
    REQUIRE(!faulty.empty());
    REQUIRE(!good_phone.empty());
    // The good phone is watched throughout; it is online before the faults start.
    REQUIRE(json_doc(call(*c, log, R"({"mt":"Watch","src":"g","device":")" + good_phone + "\"}", "WatchResult"))
              .str("error") == "");
    REQUIRE(wait_for_state(*c, log, good_phone, {"online"}, 30s));
    const std::size_t good_online_at = log.frames.size();

    struct fault {
      const char* mode;
      const char* reason_part;
    };
    for (auto [mode, reason_part] :
         {fault{"garbage", "bad screen dump"}, fault{"silent", "no answer from the phone"}}) {
      INFO("phone fault " << mode);
      // Watched and online first, so the state that follows is the fault's, not an earlier one.
      const std::string src = std::string("f-") + mode;
      REQUIRE(
        !call(*c, log, R"({"mt":"Watch","src":")" + src + R"(","device":")" + faulty + "\"}", "WatchResult").empty());
      REQUIRE(wait_for_state(*c, log, faulty, {"online"}, 30s));
      REQUIRE(control(p.sim_port, "POST", "/control/phone/fault?hwId=" + faulty_hw + "&mode=" + mode).find(" 200 ") !=
              std::string::npos);
      // The watcher is told, with a reason, that this phone does not work (no hang, no silence).
      auto st = wait_for_state(*c, log, faulty, {"error", "offline"}, 30s);
      REQUIRE(st);
      INFO(*st);
      json_doc state(*st);
      CHECK(state.str("src") == src);
      CHECK(state.str("reason") != "");
      CHECK(state.str("reason").find(reason_part) != std::string::npos);
      // The other phone keeps working: a key press reaches it, and it never left "online".
      auto presses_before = control(p.sim_port, "GET", "/control/counters?hwId=" + good_hw);
      auto key = call(*c, log, R"({"mt":"Key","src":"k","device":")" + good_phone + R"(","key":"D5"})", "KeyResult");
      CHECK(json_doc(key).boolean("ok") == true);
      CHECK(body_of(control(p.sim_port, "GET", "/control/counters?hwId=" + good_hw)) != body_of(presses_before));
      for (auto& s : states_since(log, good_online_at, good_phone)) CHECK(s == "online");
      REQUIRE(control(p.sim_port, "POST", "/control/phone/fault?hwId=" + faulty_hw + "&mode=none").find(" 200 ") !=
              std::string::npos);
      call(*c, log, R"({"mt":"Unwatch","src":"u","device":")" + faulty + "\"}", "UnwatchResult");
    }
    // Fault cleared: the same phone works again.
    call(*c, log, R"({"mt":"Watch","src":"again","device":")" + faulty + "\"}", "WatchResult");
    CHECK(wait_for_state(*c, log, faulty, {"online"}, 30s));
    CHECK(!call(*c, log, R"({"mt":"KeepAlive","src":"ka"})", "KeepAlive").empty());
  }

  // Whatever the attack, the good browser was not disturbed and memory stayed bounded.
  CHECK(!call(*good, log, R"({"mt":"KeepAlive","src":"after"})", "KeepAlive").empty());
  auto after = call(*good, log, R"({"mt":"QueryDevices","src":"q","limit":5})", "QueryDevicesResult");
  CHECK(json_doc(after).integer("total").value_or(0) > 0);
  const long rss_end = p.proc->rss_kib();
  INFO("rss start " << rss_start << " KiB, end " << rss_end << " KiB");
  CHECK(rss_end - rss_start < rss_growth_bound_kib);
  CHECK(p.proc->running());

  // The passthrough keys the simulator hands out, the App and operator passwords and every
  // session key: none in any frame a browser received, nor in the service's output.
  log.check();
  check_no_passthrough_key(log);
  p.proc->drain();
  for (auto& s : log.secrets) CHECK(p.proc->output().find(s) == std::string::npos);
  good->close();
  io.stop();
}
