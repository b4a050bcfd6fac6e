#include "tests/e2e/product_fixture.hpp"

#include "common/actors/atoms.hpp"
#include "common/base/config.hpp"
#include "common/crypto/login_digest.hpp"
#include "common/net/http_client.hpp"
#include "services/phone-session/src/phone_manager.hpp"
#include "services/registry/registry.hpp"
#include "tests/support/fetch_and_wait.hpp"

#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <catch2/catch.hpp>

#include <filesystem>
#include <future>
#include <thread>

#include <unistd.h>

namespace mpk::test {

namespace {
constexpr const char* gateway_password = "e2e-app-password";
constexpr const char* operator_password = "e2e-operator";
} // namespace

product_fixture::product_fixture(product_options o) : options(o) {
  std::string err;
  catalog = models::catalog::load(MPK_MODELS_DIR, err);
  REQUIRE(catalog);
  layouts = models::keyboard_layouts::load(MPK_MODELS_DIR, err);
  REQUIRE(layouts);
  cfg = std::make_unique<system_config>();
  sys = std::make_unique<caf::actor_system>(*cfg);
  config::settings s("e2e", "test");
  sim::declare_sim_options(s, "sim.");
  std::string msg;
  registry::registry_options ro;
  ro.io = &io;
  if (o.tls) {
    // The simulator's TLS comes first: its CA issues the gateway's certificate too (as in the demo).
    REQUIRE(s.set("sim.tls", "true", msg));
    if (!o.sim_cert_names.empty()) REQUIRE(s.set("sim.tls-names", o.sim_cert_names, msg));
    tls = std::make_unique<sim::sim_tls>();
    REQUIRE(tls->start(s, "sim.", "127.0.0.1", err));
    for (auto& [k, v] : std::map<std::string, std::string>{
           {"sim.tls-cert", tls->cert_file()}, {"sim.tls-key", tls->key_file()}, {"sim.tls-trust", tls->ca_file()}})
      REQUIRE(s.set(k, v, msg));
    if (o.trust_sim_ca) ro.tls.ca_file = tls->ca_file();
    if (o.pin_file) {
      pin_path = tls->ca_file() + ".pins";
      config::settings pins("e2e", "pins");
      net::tls_pins::declare(pins);
      REQUIRE(pins.set("tls.pin-file", pin_path, msg));
      REQUIRE(ro.pins.load(pins, err));
    }
  }
  ro.backoff_min = std::chrono::milliseconds(200);
  ro.backoff_max = std::chrono::milliseconds(2000);
  ro.phase_timeout = o.link_phase_timeout;
  registry = registry::spawn_registry(*sys, ro);
  audit_path =
    (std::filesystem::temp_directory_path() / ("mpk-e2e-audit-" + std::to_string(::getpid()) + ".jsonl")).string();
  std::filesystem::remove(audit_path);
  phone_options po;
  po.io = &io;
  po.registry = registry;
  po.catalog = &*catalog;
  po.min_interval = std::chrono::milliseconds(100);
  po.grace = std::chrono::milliseconds(1000);
  po.audit_path = audit_path;
  po.tls = ro.tls;
  phones = spawn_phone_manager(*sys, po);
  gateway::gateway_options go;
  go.port = 0;
  go.password = gateway_password;
  go.operator_password = operator_password;
  go.models_dir = MPK_MODELS_DIR;
  go.client_rate = 1000;
  if (tls) {
    go.tls_certificate = tls->product().cert_file;
    go.tls_key = tls->product().key_file;
  }
  if (o.max_queue_bytes) go.max_queue_bytes = o.max_queue_bytes;
  if (o.fanout_linger.count() >= 0) go.fanout_linger = o.fanout_linger;
  go.admin_ui = o.admin_ui;
  if (o.tenant_passwords)
    for (int i = 1; i <= o.tenants; ++i)
      go.domain_passwords["tenant" + std::to_string(i) + ".example.com"] =
        gateway_password + std::string("-") + std::to_string(i);
  gw = gateway::gateway::start(*sys, io, go, &*catalog, &*layouts, err);
  REQUIRE(gw);
  gw->context().services.set_registry(registry);
  gw->context().services.set_phones(phones);

  auto gw_base = "127.0.0.1:" + std::to_string(gw->port());
  auto [ws, http] = tls ? std::pair<std::string, std::string>{"wss://", "https://"}
                        : std::pair<std::string, std::string>{"ws://", "http://"};
  for (auto& [k, v] : std::map<std::string, std::string>{
         {"sim.port", "0"},
         {"sim.tenants", std::to_string(o.tenants)},
         {"sim.devices", std::to_string(o.devices)},
         {"sim.domains", std::to_string(o.domains)},
         {"sim.live-phones", std::to_string(o.live_phones)},
         {"sim.admin-tenant", o.admin_tenant ? "true" : "false"},
         {"sim.app-password",
          o.tenant_passwords ? gateway_password + std::string("-{i}") : std::string(gateway_password)},
         {"sim.chunk-size", std::to_string(o.chunk_size)},
         {"sim.models-dir", MPK_MODELS_DIR},
         {"sim.product-url", ws + gw_base + "/{system}/myphonekeys"},
         {"sim.app-url", http + gw_base + "/{system}/myphonekeys/innovaphone-myphonekeys"}})
    REQUIRE(s.set(k, v, msg));
  simulator = std::make_unique<sim::sim_runtime>();
  REQUIRE(simulator->start(s, err, "sim."));
}

product_fixture::~product_fixture() {
  gw->stop();
  simulator->stop();
  caf::anon_send_exit(phones, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(registry, caf::exit_reason::user_shutdown);
  gw->drain(std::chrono::seconds(5));
  gw.reset();
  io.stop();
  sys->await_actors_before_shutdown(false);
  sys.reset();
  std::filesystem::remove(audit_path);
}

std::string product_fixture::gateway_ws(const std::string& system) const {
  return (tls ? "wss://127.0.0.1:" : "ws://127.0.0.1:") + std::to_string(gw->port()) + "/" + system + "/myphonekeys";
}

std::string product_fixture::sim_http() const { return simulator->http_base(); }

net::tls_client_options product_fixture::client_tls() const {
  net::tls_client_options o;
  if (tls) o.ca_file = tls->ca_file();
  return o;
}

std::shared_ptr<ws_client> product_fixture::operator_client() {
  std::string err;
  auto c = ws_client::open(io, gateway_ws("tenant1.example.com"), &err, 1 << 20, client_tls());
  INFO(err);
  REQUIRE(c);
  c->send_text(R"({"mt":"AppChallenge"})");
  auto ch = c->next_mt("AppChallengeResult");
  REQUIRE(ch);
  c->send_text(operator_login(json_doc(*ch).str("challenge")));
  auto r = c->next_mt("AppLoginResult");
  REQUIRE(r);
  REQUIRE(json_doc(*r).boolean("ok") == true);
  return c;
}

std::string product_fixture::operator_login(const std::string& challenge) {
  return password_login(challenge, "admin", operator_password);
}

std::string product_fixture::password_login(const std::string& challenge, const std::string& name,
                                            const std::string& password) {
  std::string zeros(32, '0');
  auto digest = crypto::login_digest({name, "", name, zeros, "Admin", std::nullopt}, challenge, password);
  // Exactly as the SDK's Connection.js sends it: pbxObj is the name, there is no info
  // (docs/spec/appwebsocket.md §5.3).
  return R"({"mt":"AppLogin","app":")" + name + R"(","domain":"","sip":")" + name + R"(","guid":")" + zeros +
         R"(","dn":"Admin","digest":")" + digest + R"(","pbxObj":")" + name + "\"}";
}

std::string product_fixture::operator_secret() { return operator_password; }

std::string product_fixture::app_password(int tenant) const {
  return options.tenant_passwords ? gateway_password + std::string("-") + std::to_string(tenant)
                                  : std::string(gateway_password);
}

std::pair<std::shared_ptr<ws_client>, std::string> product_fixture::user_client(const std::string& system,
                                                                                const std::string& user) {
  std::string err;
  auto c = ws_client::open(io, gateway_ws(system), &err, 1 << 20, client_tls());
  REQUIRE(c);
  c->send_text(R"({"mt":"AppChallenge"})");
  auto ch = c->next_mt("AppChallengeResult");
  REQUIRE(ch);
  c->send_text(pbx_issued_login(system, user, json_doc(*ch).str("challenge")).frame());
  auto r = c->next_mt("AppLoginResult");
  return {c, r ? *r : std::string()};
}

issued_login product_fixture::pbx_issued_login(const std::string& system, const std::string& user,
                                               const std::string& challenge) {
  // What myApps does for the app: AppGetLogin at the PBX (here: the simulator's shell endpoint).
  auto [status, body] = control(
    "GET", "/shell/login?pbx=" + system + "&user=" + user + "&app=innovaphone-myphonekeys&challenge=" + challenge);
  REQUIRE(status == 200);
  json_doc login(body);
  REQUIRE(login.ok);
  issued_login l{login.str("app"), login.str("domain"), login.str("sip"),    login.str("guid"),
                 login.str("dn"),  login.str("digest"), login.str("pbxObj"), {}};
  auto info = simdjson::minify(login.root["info"]);
  l.info = info;
  return l;
}

std::string issued_login::frame() const {
  return R"({"mt":"AppLogin","app":")" + app + R"(","domain":")" + domain + R"(","sip":")" + sip + R"(","guid":")" +
         guid + R"(","dn":")" + dn + R"(","digest":")" + digest + R"(","pbxObj":")" + pbx_obj + R"(","info":)" + info +
         "}";
}

std::pair<int, std::string> product_fixture::control(const std::string& method, const std::string& path,
                                                     const std::string& body) {
  net::http_fetch_request req;
  req.max_body_bytes = test::large_body_bytes;
  req.method = method;
  req.url = sim_http() + path;
  req.tls = client_tls();
  req.body = body;
  if (!body.empty()) req.headers.emplace_back("Content-Type", "application/json");
  auto r = test::fetch_and_wait(io, req);
  return {r.ok ? r.status : 0, r.ok ? r.body : r.error};
}

bool product_fixture::eventually(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return pred();
}

std::map<std::string, listed_device> list_all(ws_client& c, const std::string& extra_members) {
  std::map<std::string, listed_device> out;
  std::uint64_t total = 1;
  for (std::uint64_t offset = 0; offset < total; offset += 500) {
    c.send_text(R"({"mt":"QueryDevices","src":"all","limit":500,"offset":)" + std::to_string(offset) + extra_members +
                "}");
    auto r = c.next_mt("QueryDevicesResult", std::chrono::seconds(10));
    REQUIRE(r);
    json_doc d(*r);
    REQUIRE(d.ok);
    total = static_cast<std::uint64_t>(d.integer("total").value_or(0));
    simdjson::dom::array devices;
    REQUIRE(!d.root["devices"].get(devices));
    for (auto dev : devices) {
      listed_device l;
      auto str = [&](const char* k) {
        std::string_view v;
        return dev[k].get(v) ? std::string() : std::string(v);
      };
      l.id = str("id");
      l.hw_id = str("hwId");
      l.name = str("name");
      l.product = str("product");
      l.domain_name = str("domainName");
      bool b = false;
      l.online = !dev["online"].get(b) && b;
      b = false;
      l.stale = !dev["stale"].get(b) && b;
      out[l.hw_id] = l;
    }
    if (devices.size() == 0) break;
  }
  return out;
}

std::uint64_t product_fixture::registry_seq() {
  caf::scoped_actor self{*sys};
  std::uint64_t seq = 0;
  self->request(registry, std::chrono::seconds(5), atom::query_v, device_query{})
    .receive([&](const device_page& p) { seq = p.seq; }, [&](const caf::error&) {});
  return seq;
}

bool product_fixture::change_and_publish(const std::function<void()>& change) {
  auto before = registry_seq();
  change();
  return eventually([&] { return registry_seq() > before; }, std::chrono::seconds(10));
}

} // namespace mpk::test
