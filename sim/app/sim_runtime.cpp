#include "sim/app/sim_runtime.hpp"

#include "common/base/log.hpp"
#include "common/json/writer.hpp"
#include "common/models/catalog.hpp"
#include "common/models/wire_book.hpp"
#include "common/net/io_runtime.hpp"
#include "common/net/server.hpp"
#include "sim/app/sim_tls.hpp"
#include "sim/control/control_api.hpp"
#include "sim/live/direct_http.hpp"

#if defined(MPK_SIM_WITH_PBX)
#include "sim/pbx/pbx_sim.hpp"
#include "sim/shell/shell.hpp"
#endif

#include <simdjson.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <fstream>
#include <iostream>
#include <optional>
#include <pthread.h>
#include <sstream>

#ifndef MPK_SIM_DEFAULT_MODELS_DIR
#define MPK_SIM_DEFAULT_MODELS_DIR "common/models/data"
#endif

namespace mpk::sim {

namespace {

std::string replace_all(std::string s, std::string_view what, const std::string& with) {
  for (auto pos = s.find(what); pos != std::string::npos; pos = s.find(what, pos + with.size()))
    s.replace(pos, what.size(), with);
  return s;
}

/// The unsupported products listed in the model data's index.json (population variety).
std::vector<std::string> unsupported_products(const std::string& dir) {
  std::vector<std::string> out;
  simdjson::dom::parser p;
  simdjson::dom::element root;
  simdjson::dom::object obj;
  if (p.load(dir + "/index.json").get(root) != simdjson::SUCCESS) return out;
  if (root["unsupported"].get_object().get(obj) != simdjson::SUCCESS) return out;
  for (auto field : obj) out.emplace_back(field.key);
  return out;
}

} // namespace

void declare_sim_options(config::settings& s, const std::string& pre) {
  s.add(pre + "host", "127.0.0.1", "address the simulator listens on");
  s.add(pre + "port", "8090", "port of the simulator (HTTP + websockets; 0 = any free port)");
  s.add(pre + "public-host", "", "host name used in the URLs the simulator hands out (default: host)");
  s.add(pre + "io-threads", "2", "Asio threads of the simulator");
  s.add(pre + "devices", "1000", "devices in the Devices database, over all instances (up to 100000 and more)");
  s.add(pre + "domains", "10", "Devices domains over all instances (each instance has its instance domain)");
  s.add(pre + "instances", "1", "Devices App instances: /<instance-domain>/devices, /devices2, ...");
  s.add(pre + "instance-domain", "sim.example.com", "domain of the Devices instances (admin logins use it)");
  s.add(pre + "seed", "1", "seed of the deterministic population and of the random restart changes");
  s.add(pre + "live-phones", "30",
        "the first devices are live sysclient phones (every model family, all 4 registration states)");
  s.add(pre + "clock-seconds", "false",
        "live phones show seconds in their clock, so every screen changes once per second (LCD load benchmarks)");
  s.add(pre + "chunk-size", "500", "list entries per GetDomainsResult/GetDevicesResult message");
  s.add(pre + "passthrough-timeout-ms", "10000", "passthrough requests without a complete answer get 504 after this");
  s.add(pre + "push.device-update", "DeviceUpdate", "name of the device update push");
  s.add(pre + "push.device-added", "DeviceAdded", "name of the device added push (not confirmed by captures)");
  s.add(pre + "push.device-removed", "DeviceRemoved", "name of the device removed push");
  s.add(pre + "push.domain-update", "DomainUpdate", "name of the domain update push (not confirmed)");
  s.add(pre + "push.domain-added", "DomainAdded", "name of the domain added push (not confirmed)");
  s.add(pre + "push.domain-removed", "DomainRemoved", "name of the domain removed push (not confirmed)");
  s.add(pre + "tenants", "1",
        "PBX tenants: tenant<i>.example.com with its own domain, App object and users admin<i>/guest<i>");
  s.add(pre + "product-url", "ws://127.0.0.1:8080/{system}/myphonekeys",
        "websocket URL of the product's App service the PBXs connect to ({system} = tenant system name, {i} = tenant "
        "number; empty = PBXs do not connect)");
  s.add(pre + "app-url", "http://127.0.0.1:8080/{system}/myphonekeys/innovaphone-myphonekeys",
        "URL of the app (App object URL) the PBXs and the shell use");
  s.add(pre + "app-object", "myphonekeys", "SIP name of the product's App object in every PBX");
  s.add(pre + "app-password", "mpk-app-{i}", "App object password of tenant i ({i} replaced)", true);
  s.add(pre + "admin-tenant", "false",
        "tenant 1 is the hosting PBX: its system name is the instance domain and it is granted the instance password "
        "(an admin login on all domains of every instance, docs/spec/devices-api.md §1.4)");
  s.add(pre + "test-mode", "false", "PBX licence Test-Mode (logins carry testmode:true)");
  s.add(pre + "app-lics", "25", "Service licences of the App object, sent as info.lics on the PBX link (-1: not sent)");
  s.add(pre + "models-dir", MPK_SIM_DEFAULT_MODELS_DIR,
        "directory of the phone model data (index.json, <family>.json)");
  s.add(
    pre + "wire-dialects", "",
    "wire file (docs/wire-calibration.md) whose first candidates the live phones speak instead of their model's "
    "(sim/data/wire-dialects.json gives models different dialects; empty: every phone speaks the first candidates)");
  s.add(pre + "phone-password", "ipphone",
        "admin password of live phones whose domain deployed none: their admin UI and direct access under "
        "/direct/<hwId>/ (HTTP Digest)",
        true);
  sim_tls::declare(s, pre);
}

struct sim_runtime::impl {
  std::unique_ptr<net::io_runtime> rt;
  std::optional<models::catalog> catalog;
  std::optional<models::wire_book> dialects; ///< what the live phones speak (wire-dialects)
  std::unique_ptr<direct_access> direct;
  devices_app devices;
  std::unique_ptr<phone_fleet> fleet;
  std::unique_ptr<control_api> control;
  std::shared_ptr<net::server> server;
  population pop;
  std::string public_host;
  sim_tls tls;
  unsigned short port = 0;
  double load_seconds = 0;
  std::atomic<bool> ready{false};
  std::size_t tenant_count = 0;
  std::vector<tenant_info> tenants;
#if defined(MPK_SIM_WITH_PBX)
  std::vector<std::shared_ptr<pbx_sim>> pbxs;
#endif
  bool stopped = false;
  bool clock_seconds = false;
  std::string phone_password; ///< --phone-password

  /// Applies the per-phone simulation settings to a phone just added to the fleet.
  void configure(live_phone& phone) const {
    // The admin password until its Devices domain deploys one (0x0003), as for direct access.
    phone.with_phone([&](sim_phone::phone_web& w) { w.admin().set_password(phone_password); });
    if (clock_seconds) phone.with_phone([](sim_phone::phone_web& w) { w.ui().set_clock_seconds(true); });
    if (dialects) phone.with_phone([&](sim_phone::phone_web& w) { w.speak(dialects->find(w.identity().product)); });
  }

  bool add_live_phone(devices_instance& inst, const device_record& row, std::string& err, std::size_t number) {
    sim_phone::phone_identity id{row.hw_id,
                                 row.product,
                                 row.version,
                                 row.name,
                                 row.eth_ifs.empty() ? std::string() : row.eth_ifs.front().ipv4,
                                 std::to_string(number)};
    live_phone_options lo;
    lo.url = (tls.on() ? "wss://" : "ws://") + public_host + ":" + std::to_string(port) + inst.path() + "/sysclients";
    lo.tls = tls.client_options();
    auto phone = fleet->add(*catalog, id, row.sysclient_password, lo, {"up"}, err);
    if (!phone) return false;
    configure(*phone);
    inst.mark_live(row.hw_id, true);
    phone->start();
    return true;
  }
};

sim_runtime::sim_runtime() : impl_(std::make_unique<impl>()) {}
sim_runtime::~sim_runtime() { stop(); }

bool sim_runtime::start(const config::settings& s, std::string& error, const std::string& pre) {
  auto& m = *impl_;
  auto get = [&](const char* name) { return s.get(pre + name); };
  auto num = [&](const char* name) { return s.get_int(pre + name); };
  auto models_dir = get("models-dir");
  m.catalog = models::catalog::load(models_dir, error);
  if (!m.catalog) {
    error = "model data: " + error;
    return false;
  }
  if (!get("wire-dialects").empty()) {
    m.dialects = models::wire_book::load(*m.catalog, get("wire-dialects"), error);
    if (!m.dialects) return false;
  }
  if (num("devices") < 0 || num("domains") < 0 || num("instances") < 1 || num("instances") > 100 ||
      num("live-phones") < 0 || num("tenants") < 0 || num("tenants") > 1000 || num("chunk-size") < 1) {
    error = "devices/domains/live-phones must be >= 0, instances 1..100, tenants 0..1000, chunk-size >= 1";
    return false;
  }

  // -- population ------------------------------------------------------------------------
  auto t0 = std::chrono::steady_clock::now();
  population_options po;
  po.seed = static_cast<std::uint64_t>(num("seed"));
  po.devices = static_cast<std::size_t>(num("devices"));
  po.domains = static_cast<std::size_t>(num("domains"));
  po.instances = static_cast<std::size_t>(num("instances"));
  po.live_phones = static_cast<std::size_t>(num("live-phones"));
  po.tenants = static_cast<std::size_t>(num("tenants"));
  po.instance_domain = get("instance-domain");
  for (auto& p : m.catalog->products()) po.supported.push_back({p, m.catalog->get(p)->family});
  po.unsupported = unsupported_products(models_dir);
  m.pop = generate_population(po);
  m.tenant_count = po.tenants;

  int threads = static_cast<int>(std::max<std::int64_t>(1, std::min<std::int64_t>(16, num("io-threads"))));
  m.rt = std::make_unique<net::io_runtime>(threads);
  instance_options io;
  io.chunk_size = static_cast<std::size_t>(num("chunk-size"));
  io.passthrough_timeout = std::chrono::milliseconds(std::max<std::int64_t>(1, num("passthrough-timeout-ms")));
  io.seed = po.seed;
  io.pushes.device_update = get("push.device-update");
  io.pushes.device_added = get("push.device-added");
  io.pushes.device_removed = get("push.device-removed");
  io.pushes.domain_update = get("push.domain-update");
  io.pushes.domain_added = get("push.domain-added");
  io.pushes.domain_removed = get("push.domain-removed");
  for (auto& in : m.pop.instances) {
    auto inst = std::make_shared<devices_instance>(*m.rt, in.domain, in.name, in.password, io);
    inst->load(in.domains, in.devices);
    m.devices.add(inst);
  }
  m.load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  m.fleet = std::make_unique<phone_fleet>(*m.rt);
  m.phone_password = get("phone-password");
  m.direct = std::make_unique<direct_access>(*m.fleet, m.phone_password);
  m.clock_seconds = s.get_bool(pre + "clock-seconds");

  // -- the port --------------------------------------------------------------------------
  net::server_options so;
  so.host = get("host");
  so.port = static_cast<unsigned short>(num("port"));
  so.max_request_body = 16 << 20;                   // uploads through the passthrough (a phone's firmware is a few MB)
  so.limits.max_queue_bytes = std::size_t(1) << 30; // a full 100k-device list is queued at once (~35 MB)
  m.public_host = get("public-host").empty() ? so.host : get("public-host");
  if (m.public_host == "0.0.0.0") m.public_host = "127.0.0.1";
  if (!m.tls.start(s, pre, m.public_host, error)) return false;
  so.tls_certificate_file = m.tls.cert_file();
  so.tls_key_file = m.tls.key_file();
  net::server_routes routes;
  auto* mp = &m;
  routes.upgrade = [mp](const net::http_request_info& req) { return mp->devices.upgrade(req); };
  routes.http = [mp](const net::http_request_info& req, net::http_responder respond) {
    if (mp->devices.http(req, respond)) return;
    if (!mp->ready) {
      respond(net::http_reply::text(503, "simulator starting\n"));
      return;
    }
    if (auto r = mp->control->handle(req)) {
      respond(std::move(*r));
      return;
    }
    if (auto r = mp->direct->handle(req)) {
      respond(std::move(*r));
      return;
    }
#if defined(MPK_SIM_WITH_PBX)
    if (auto r = shell_http(req, mp->pbxs)) {
      respond(std::move(*r));
      return;
    }
#endif
    if (req.target == "/" || req.target == "/index.txt") {
      respond(
        net::http_reply::text(200, mp->tenants.empty() ? "mpk-sim\n" : "mpk-sim: see /control/state and /shell/\n"));
      return;
    }
    respond(net::http_reply::text(404, "not found: " + req.target + "\n"));
  };
  m.server = net::server::start(*m.rt, so, routes, error);
  if (!m.server) return false;
  m.port = m.server->port();
  m.devices.set_http_base(http_base());

  // -- live phones ---------------------------------------------------------------------------
  for (auto& spec : m.pop.live) {
    sim_phone::phone_identity id{spec.hw_id, spec.product, spec.version, spec.name, spec.ipv4, spec.number};
    live_phone_options lo;
    lo.url = ws_base() + m.devices.instances().at(spec.instance)->path() + "/sysclients";
    lo.tls = m.tls.client_options();
    std::string err;
    if (auto phone = m.fleet->add(*m.catalog, id, spec.sysclient_password, lo, spec.registrations, err))
      m.configure(*phone);
    else
      MPK_WARN("mpk-sim", "live phone ", spec.hw_id, " not started: ", err);
  }
  m.fleet->start_all();

  // -- PBX tenants ---------------------------------------------------------------------------
  for (std::size_t i = 1; i <= m.tenant_count; ++i) {
    tenant_info t;
    bool admin_tenant = i == 1 && s.get_bool(pre + "admin-tenant");
    t.system_name = admin_tenant ? get("instance-domain") : "tenant" + std::to_string(i) + ".example.com";
    auto subst = [&](std::string v) {
      return replace_all(replace_all(std::move(v), "{system}", t.system_name), "{i}", std::to_string(i));
    };
    t.app_object = get("app-object");
    t.app_password = subst(get("app-password"));
    t.product_url = subst(get("product-url"));
    t.app_url = subst(get("app-url"));
    t.users = {"admin" + std::to_string(i), "guest" + std::to_string(i)};
#if defined(MPK_SIM_WITH_PBX)
    pbx_config c;
    c.system_name = t.system_name;
    c.pbx_name = "pbx" + std::to_string(i);
    c.product_url = t.product_url;
    c.app_object = t.app_object;
    c.app_dn = "myPhoneKeys";
    c.app_guid = derived_password(po.seed, "guid:" + t.system_name);
    c.app_password = t.app_password;
    c.app_url = t.app_url;
    c.test_mode = s.get_bool(pre + "test-mode");
    c.tls = m.tls.client_options();
    if (auto lics = s.get_int(pre + "app-lics"); lics >= 0) c.app_lics = static_cast<int>(lics);
    // Granted: the Devices instance holding the tenant's own domain, with that domain's password
    // (a domain-local login: the tenant sees its own devices only).
    for (auto& inst : m.devices.instances()) {
      if (admin_tenant)
        c.services.push_back({inst->name() == "devices" ? std::string("devices-api") : "devices-api-" + inst->name(),
                              "Devices", ws_base() + inst->path(), inst->password()});
      else if (auto dom = inst->domain_by_name(t.system_name))
        c.services.push_back({"devices-api", "Devices", ws_base() + inst->path(), dom->password});
    }
    c.users.push_back({"admin" + std::to_string(i), "Admin " + std::to_string(i),
                       derived_password(po.seed, "user:admin" + std::to_string(i)), true});
    c.users.push_back({"guest" + std::to_string(i), "Guest " + std::to_string(i),
                       derived_password(po.seed, "user:guest" + std::to_string(i)), false});
    auto pbx = std::make_shared<pbx_sim>(*m.rt, std::move(c));
    if (!t.product_url.empty()) pbx->start();
    m.pbxs.push_back(pbx);
#endif
    m.tenants.push_back(std::move(t));
  }

  // -- control ---------------------------------------------------------------------------------
  control_hooks hooks;
  hooks.pbx_states = [mp] {
    json::json_writer w;
    w.begin_array();
#if defined(MPK_SIM_WITH_PBX)
    for (auto& p : mp->pbxs)
      w.begin_object().member("pbx", p->config().system_name).member("state", p->state()).end_object();
#endif
    w.end_array();
    return w.take();
  };
  hooks.drop_pbx = [mp](std::string_view name) {
#if defined(MPK_SIM_WITH_PBX)
    for (auto& p : mp->pbxs)
      if (p->config().system_name == name) {
        p->drop_link();
        return true;
      }
#endif
    (void)mp;
    (void)name;
    return false;
  };
  hooks.start_live_phone = [mp](devices_instance& inst, const device_record& row, std::string& err) {
    return mp->add_live_phone(inst, row, err, 500 + mp->fleet->size());
  };
  hooks.tls = [mp](bool renew, std::string& json, std::string& err) {
    if (!mp->tls.on()) return err = "the simulator runs without TLS", false;
    if (renew && !(mp->tls.renew(err) && mp->server->reload_tls(err))) return false;
    json = mp->tls.state_json();
    return true;
  };
  m.control = std::make_unique<control_api>(m.devices, *m.fleet, std::move(hooks));
  m.ready = true;
  return true;
}

void sim_runtime::stop() {
  auto& m = *impl_;
  if (m.stopped || !m.rt) return;
  m.stopped = true;
  m.ready = false;
#if defined(MPK_SIM_WITH_PBX)
  for (auto& p : m.pbxs) p->stop();
#endif
  if (m.fleet) m.fleet->stop_all();
  m.devices.stop();
  if (m.server) m.server->stop();
  m.rt->stop();
}

unsigned short sim_runtime::port() const { return impl_->port; }
std::string sim_runtime::http_base() const {
  return (impl_->tls.on() ? "https://" : "http://") + impl_->public_host + ":" + std::to_string(impl_->port);
}
std::string sim_runtime::ws_base() const {
  return (impl_->tls.on() ? "wss://" : "ws://") + impl_->public_host + ":" + std::to_string(impl_->port);
}
std::string sim_runtime::tls_ca_file() const { return impl_->tls.ca_file(); }
std::string sim_runtime::tls_fingerprint() const { return impl_->tls.served().fingerprint; }
std::string sim_runtime::product_cert_file() const { return impl_->tls.product().cert_file; }
std::string sim_runtime::product_key_file() const { return impl_->tls.product().key_file; }
double sim_runtime::load_seconds() const { return impl_->load_seconds; }
devices_app& sim_runtime::devices() { return impl_->devices; }
phone_fleet& sim_runtime::phones() { return *impl_->fleet; }
const population& sim_runtime::pop() const { return impl_->pop; }

std::vector<sim_runtime::tenant_info> sim_runtime::tenants() const {
  auto out = impl_->tenants;
#if defined(MPK_SIM_WITH_PBX)
  for (std::size_t i = 0; i < out.size() && i < impl_->pbxs.size(); ++i) out[i].state = impl_->pbxs[i]->state();
#endif
  return out;
}

std::string sim_runtime::summary() const {
  auto& m = *impl_;
  std::size_t devices = 0, domains = 0;
  for (auto& in : m.pop.instances) {
    devices += in.devices.size();
    domains += in.domains.size();
  }
  std::ostringstream os;
  os << "mpk-sim " << http_base() << " | devices-api";
  for (auto& inst : m.devices.instances()) os << ' ' << ws_base() << inst->path();
  os << " | control " << http_base() << "/control/state";
  if (m.tls.on() && !m.tls.ca_file().empty()) os << " | tls CA " << m.tls.ca_file();
#if defined(MPK_SIM_WITH_PBX)
  os << " | shell " << http_base() << "/shell/";
#endif
  os << " | " << devices << " devices, " << domains << " domains, " << m.fleet->size() << " live phones, "
     << m.tenants.size() << " tenants";
  if (!m.tenants.empty() && !m.tenants.front().product_url.empty())
    os << " -> " << m.tenants.front().product_url << (m.tenants.size() > 1 ? " ..." : "");
  return os.str();
}

int run_sim(int argc, const char* const* argv) {
  config::settings s("mpk-sim",
                     "Simulator of the innovaphone side of myPhoneKeys: PBX tenants, Devices App (service API, "
                     "sysclients, passthrough) and phones, with a loopback control interface under /control/.");
  declare_sim_options(s);
  if (auto code = config::start_from_command_line(s, argc, argv)) return *code;
  // Block the stop signals before any thread starts, so sigwait below receives them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  sim_runtime sim;
  std::string error;
  if (!sim.start(s, error)) {
    std::cerr << "mpk-sim: " << error << "\n";
    return 1;
  }
  std::cout << sim.summary() << std::endl;
  int sig = 0;
  sigwait(&set, &sig);
  MPK_INFO("mpk-sim", "stopping (signal ", sig, ")");
  sim.stop();
  return 0;
}

} // namespace mpk::sim
