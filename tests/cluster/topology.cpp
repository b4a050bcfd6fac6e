#include "tests/cluster/topology.hpp"

#include "common/crypto/login_digest.hpp"

#include <simdjson.h>

#include <filesystem>
#include <regex>
#include <unistd.h>

namespace mpk::test {

namespace {

constexpr const char* app_password = "cluster-app-pw";
constexpr const char* operator_password = "cluster-op-pw";

std::optional<unsigned short> port_after(const child_process& p, const std::string& prefix) {
  auto text = p.wait_output(prefix, std::chrono::seconds(20));
  if (!text) return std::nullopt;
  std::smatch m;
  std::regex re(prefix + "([0-9]+)");
  if (!std::regex_search(*text, m, re)) return std::nullopt;
  return static_cast<unsigned short>(std::stoi(m[1]));
}

} // namespace

topology::topology(std::string n, int phone_nodes) : name(std::move(n)) {
  dir = (std::filesystem::temp_directory_path() / ("mpk-cluster-" + name + "-" + std::to_string(::getpid()))).string();
  std::filesystem::create_directories(dir);
  registry_port = free_port();
  for (int i = 0; i < phone_nodes; ++i) phone_ports.push_back(free_port());
  phones.resize(static_cast<std::size_t>(phone_nodes));
}

topology::~topology() {
  // Reverse order; every child is killed by its destructor if a test left it running.
  sim.reset();
  gateway.reset();
  phones.clear();
  registry.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

bool topology::start_registry() {
  registry = std::make_unique<child_process>();
  if (!registry->start(MPK_REGISTRY_BIN, {"--node.port=" + std::to_string(registry_port)}, dir + "/registry") ||
      !registry->wait_output("mpk-registry node on", std::chrono::seconds(20))) {
    error = "registry did not start: " + registry->output(true);
    return false;
  }
  return true;
}

bool topology::start_phones(std::size_t i) {
  phones[i] = std::make_unique<child_process>();
  auto base = dir + "/phones" + std::to_string(i);
  if (!phones[i]->start(MPK_PHONE_SESSION_BIN,
                        {"--node.port=" + std::to_string(phone_ports[i]),
                         "--node.registry=127.0.0.1:" + std::to_string(registry_port), "--phone.audit-path=" + base + ".audit",
                         "--phone.grace-ms=2000"},
                        base) ||
      !phones[i]->wait_output("mpk-phone-session node on", std::chrono::seconds(20))) {
    error = "phone-session " + std::to_string(i) + " did not start: " + phones[i]->output(true);
    return false;
  }
  return true;
}

bool topology::start_gateway() {
  std::string peers;
  for (auto p : phone_ports) peers += (peers.empty() ? "" : ",") + std::string("127.0.0.1:") + std::to_string(p);
  gateway = std::make_unique<child_process>();
  if (!gateway->start(MPK_GATEWAY_BIN,
                      {"--gateway.port=0", std::string("--gateway.password=") + app_password,
                       std::string("--gateway.operator-password=") + operator_password,
                       "--node.registry=127.0.0.1:" + std::to_string(registry_port), "--node.phones=" + peers},
                      dir + "/gateway")) {
    error = "gateway did not start";
    return false;
  }
  auto port = port_after(*gateway, "gateway on http://127.0.0.1:");
  if (!port) {
    error = "gateway printed no port: " + gateway->output(true);
    return false;
  }
  gateway_port = *port;
  return true;
}

bool topology::start_sim() {
  auto gw = "127.0.0.1:" + std::to_string(gateway_port);
  sim = std::make_unique<child_process>();
  if (!sim->start(MPK_SIM_BIN,
                  {"--port=0", "--devices=40", "--domains=3", "--live-phones=6", "--tenants=1",
                   "--product-url=ws://" + gw + "/{system}/myphonekeys",
                   "--app-url=http://" + gw + "/{system}/myphonekeys/innovaphone-myphonekeys",
                   std::string("--app-password=") + app_password, std::string("--models-dir=") + MPK_MODELS_DIR},
                  dir + "/sim")) {
    error = "simulator did not start";
    return false;
  }
  auto port = port_after(*sim, "mpk-sim http://127.0.0.1:");
  if (!port) {
    error = "simulator printed no port: " + sim->output(true);
    return false;
  }
  sim_port = *port;
  return true;
}

bool topology::start_all() {
  if (!start_registry()) return false;
  for (std::size_t i = 0; i < phones.size(); ++i)
    if (!start_phones(i)) return false;
  return start_gateway() && start_sim();
}

browser::browser(net::io_runtime& io, unsigned short gateway_port) {
  ws_ = ws_client::open(io, "ws://127.0.0.1:" + std::to_string(gateway_port) + "/tenant1.example.com/myphonekeys", &error);
  if (!ws_) return;
  ws_->send_text(R"({"mt":"AppChallenge"})");
  auto ch = ws_->next_mt("AppChallengeResult");
  if (!ch) {
    error = "no AppChallengeResult";
    return;
  }
  std::string zeros(32, '0');
  auto digest = crypto::login_digest({"admin", "", "admin", zeros, "Admin", std::nullopt}, json_doc(*ch).str("challenge"),
                                     operator_password);
  ws_->send_text(R"({"mt":"AppLogin","app":"admin","domain":"","sip":"admin","guid":")" + zeros +
                 R"(","dn":"Admin","digest":")" + digest + "\"}");
  auto r = ws_->next_mt("AppLoginResult");
  ok_ = r && json_doc(*r).boolean("ok") == true;
  if (!ok_) error = "operator login failed: " + r.value_or("(nothing)");
}

bool browser::subscribe() {
  ws_->send_text(R"({"mt":"QueryDevices","src":"list","subscribe":true,"limit":500})");
  auto before = resets;
  return pump_until([&] { return resets > before; }, std::chrono::seconds(10));
}

bool browser::watch(const std::string& device) {
  watched = device;
  ws_->send_text(R"({"mt":"Watch","src":"watch","device":")" + device + "\"}");
  bool got = false;
  auto end = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (!got && std::chrono::steady_clock::now() < end) {
    auto f = ws_->next(std::chrono::milliseconds(200));
    if (!f) continue;
    if (f->binary) {
      ++frames;
      continue;
    }
    if (f->data.find("\"WatchResult\"") != std::string::npos) {
      if (f->data.find("\"error\"") != std::string::npos) {
        error = f->data;
        return false;
      }
      got = true;
    } else {
      on_text(f->data);
    }
  }
  return got;
}

void browser::pump(std::chrono::milliseconds d) {
  auto end = std::chrono::steady_clock::now() + d;
  while (std::chrono::steady_clock::now() < end) {
    auto f = ws_->next(std::chrono::milliseconds(50));
    if (!f) {
      if (ws_->closed()) return;
      continue;
    }
    if (!f->binary) {
      on_text(f->data);
      continue;
    }
    // LCD frame: 'L', codec, seq (u32 BE), ... then the ack that lets the next one come.
    if (f->data.size() < 19 || f->data[0] != 'L') continue;
    ++frames;
    auto b = [&](int i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(f->data[static_cast<std::size_t>(i)])); };
    auto seq = (b(2) << 24) | (b(3) << 16) | (b(4) << 8) | b(5);
    ws_->send_text(R"({"mt":"FrameAck","device":")" + watched + R"(","seq":)" + std::to_string(seq) + "}");
  }
}

void browser::on_text(const std::string& text) {
  simdjson::dom::parser p;
  simdjson::dom::object o;
  if (p.parse(text).get(o)) return;
  std::string_view mt;
  if (o["mt"].get(mt)) return;
  auto apply = [&](simdjson::dom::array arr) {
    for (auto d : arr) {
      std::string_view id, hw;
      bool online = false;
      if (d["id"].get(id) || d["hwId"].get(hw)) continue;
      (void)d["online"].get(online);
      devices[std::string(id)] = device{std::string(hw), online};
    }
  };
  simdjson::dom::array arr;
  if (mt == "QueryDevicesResult") {
    if (o["devices"].get(arr)) return;
    devices.clear();
    apply(arr);
    ++resets;
  } else if (mt == "DevicesChanged") {
    if (!o["added"].get(arr)) apply(arr);
    if (!o["changed"].get(arr)) apply(arr);
    if (!o["removed"].get(arr))
      for (auto id : arr) {
        std::string_view s;
        if (!id.get(s)) devices.erase(std::string(s));
      }
  }
}

std::map<std::string, bool> sim_devices(unsigned short sim_port) {
  std::map<std::string, bool> out;
  auto body = http_get(sim_port, "/control/devices?instance=devices");
  if (!body) return out;
  simdjson::dom::parser p;
  simdjson::dom::array arr;
  if (p.parse(*body).get(arr)) return out;
  for (auto d : arr) {
    std::string_view hw;
    bool online = false;
    if (d["hwId"].get(hw)) continue;
    (void)d["online"].get(online);
    out[std::string(hw)] = online;
  }
  return out;
}

std::vector<std::string> sim_live_phones(unsigned short sim_port) {
  std::vector<std::string> out;
  auto body = http_get(sim_port, "/control/state");
  if (!body) return out;
  simdjson::dom::parser p;
  simdjson::dom::element root;
  simdjson::dom::array arr;
  if (p.parse(*body).get(root) || root["livePhones"]["phones"].get(arr)) {
    if (p.parse(*body).get(root) || root["phones"].get(arr)) return out;
  }
  for (auto ph : arr) {
    std::string_view hw;
    bool connected = false;
    if (ph["hwId"].get(hw)) continue;
    (void)ph["connected"].get(connected);
    if (connected) out.emplace_back(hw);
  }
  return out;
}

} // namespace mpk::test
