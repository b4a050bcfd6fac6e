#include "tests/cluster/topology.hpp"

#include "sim/tls/throwaway_ca.hpp"

#include <simdjson.h>

#include <filesystem>
#include <regex>
#include <unistd.h>

namespace mpk::test {

namespace {

/// `args` plus `extra` when `when`.
std::vector<std::string> with(std::vector<std::string> args, bool when, std::vector<std::string> extra) {
  if (when) args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

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
  if (!keep_dir) std::filesystem::remove_all(dir, ec);
}

void topology::use_tls() {
  std::string err;
  auto ca = sim::throwaway_ca::create("cluster test CA", dir + "/ca.pem", err);
  sim::issued_certificate c;
  if (!ca || !ca->issue({"127.0.0.1"}, dir + "/gateway", c, err) || !ca->issue({"127.0.0.1"}, dir + "/sim", c, err)) {
    error = "certificates: " + err;
    return;
  }
  ca_file = ca->ca_file();
}

bool topology::start_registry() {
  registry = std::make_unique<child_process>();
  if (!registry->start(
        MPK_REGISTRY_BIN,
        with({"--node.port=" + std::to_string(registry_port)}, !ca_file.empty(), {"--tls.ca-file=" + ca_file}),
        dir + "/registry") ||
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
                        with({"--node.port=" + std::to_string(phone_ports[i]),
                              "--node.registry=127.0.0.1:" + std::to_string(registry_port),
                              "--phone.audit-path=" + base + ".audit", "--phone.grace-ms=2000"},
                             !ca_file.empty(), {"--tls.ca-file=" + ca_file}),
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
  bool tls = !ca_file.empty();
  if (!gateway->start(
        MPK_GATEWAY_BIN,
        with({"--gateway.port=0", std::string("--gateway.password=") + cluster_app_password,
              std::string("--gateway.operator-password=") + cluster_operator_password,
              "--node.registry=127.0.0.1:" + std::to_string(registry_port), "--node.phones=" + peers},
             tls, {"--gateway.tls-cert=" + dir + "/gateway-cert.pem", "--gateway.tls-key=" + dir + "/gateway-key.pem"}),
        dir + "/gateway")) {
    error = "gateway did not start";
    return false;
  }
  auto port = port_after(*gateway, tls ? "gateway on https://127.0.0.1:" : "gateway on http://127.0.0.1:");
  if (!port) {
    error = "gateway printed no port: " + gateway->output(true);
    return false;
  }
  gateway_port = *port;
  return true;
}

bool topology::start_sim() {
  auto gw = "127.0.0.1:" + std::to_string(gateway_port);
  bool tls = !ca_file.empty();
  std::vector<std::string> args{
    "--port=0", (tls ? "--product-url=wss://" : "--product-url=ws://") + gw + "/{system}/myphonekeys",
    (tls ? "--app-url=https://" : "--app-url=http://") + gw + "/{system}/myphonekeys/innovaphone-myphonekeys",
    std::string("--app-password=") + cluster_app_password, std::string("--models-dir=") + MPK_MODELS_DIR};
  args.insert(args.end(), sim_population.begin(), sim_population.end());
  sim = std::make_unique<child_process>();
  if (tls)
    args.insert(args.end(), {"--tls=true", "--tls-cert=" + dir + "/sim-cert.pem", "--tls-key=" + dir + "/sim-key.pem",
                             "--tls-trust=" + ca_file});
  if (!sim->start(MPK_SIM_BIN, args, dir + "/sim")) {
    error = "simulator did not start";
    return false;
  }
  auto port = port_after(*sim, tls ? "mpk-sim https://127.0.0.1:" : "mpk-sim http://127.0.0.1:");
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
    if (d["online"].get(online)) online = {};
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
    if (ph["connected"].get(connected)) connected = {};
    if (connected) out.emplace_back(hw);
  }
  return out;
}

} // namespace mpk::test
