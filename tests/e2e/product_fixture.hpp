#pragma once
// The whole product (gateway, registry, phone sessions) and the simulator in one test process,
// talking over real websockets and HTTP on 127.0.0.1 — the same wiring as mpk-demo (sim/demo).

#include "common/actors/interfaces.hpp"
#include "common/actors/system_config.hpp"
#include "common/models/catalog.hpp"
#include "common/models/keyboard_layouts.hpp"
#include "common/net/io_runtime.hpp"
#include "services/gateway/gateway.hpp"
#include "sim/app/sim_runtime.hpp"
#include "sim/app/sim_tls.hpp"
#include "tests/sim/ws_client.hpp"

#include <caf/actor_system.hpp>

#include <map>
#include <memory>
#include <string>

namespace mpk::test {

struct product_options {
  int tenants = 2;
  int devices = 400;
  int domains = 20;
  int live_phones = 12;
  bool admin_tenant = false;                   ///< tenant 1 is the hosting PBX with admin rights on every domain
  std::size_t max_queue_bytes = 0;             ///< the gateway's per-client send queue cap (0: its default)
  std::chrono::milliseconds fanout_linger{-1}; ///< the gateway's fanout-linger (negative: its default)
  /// Each tenant's App object has its own password (`tenant.<domain>.password`), not one shared one.
  bool tenant_passwords = false;
  std::size_t chunk_size = 500; ///< devices per GetDevicesResult chunk of the simulated Devices App
  /// How long a devices-api link waits for a frame while connecting or loading.
  std::chrono::milliseconds link_phase_timeout{30000};
  /// The gateway's admin-UI relay settings (phone.admin-ui-*), its defaults unless changed.
  gateway::admin_ui_options admin_ui;
  /// Everything over TLS as a real site runs it: the simulator's throw-away CA issues the
  /// gateway's certificate and the simulator's (its Devices App and passthrough); PBXs and
  /// browsers trust the CA.
  bool tls = false;
  bool trust_sim_ca = true;   ///< with tls: the registry and phone sessions trust the CA (tls.ca-file)
  std::string sim_cert_names; ///< with tls: names of the simulator's certificate (default 127.0.0.1, localhost)
  bool pin_file = false;      ///< with tls: a tls.pin-file the status panel's action may write
};

/// A myApps user login as a PBX issues it (AppGetLoginResult), before the browser sends it.
struct issued_login {
  std::string app, domain, sip, guid, dn, digest, pbx_obj, info;
  std::string frame() const; ///< the AppLogin the app sends with these fields
};

class product_fixture {
public:
  explicit product_fixture(product_options o = {});
  ~product_fixture();

  std::string gateway_ws(const std::string& system) const; ///< ws URL of the App service for a tenant
  std::string sim_http() const;
  /// What a browser of this fixture trusts (the CA with tls, nothing extra without).
  net::tls_client_options client_tls() const;

  /// A browser-side client logged in as the operator (password login, sees every tenant).
  std::shared_ptr<ws_client> operator_client();
  /// The operator's AppLogin message for an AppChallengeResult's `challenge` (for raw clients).
  static std::string operator_login(const std::string& challenge);
  /// A password login in the SDK's form (docs/spec/appwebsocket.md §5.3) for `challenge`.
  static std::string password_login(const std::string& challenge, const std::string& name, const std::string& password);
  /// The operator's password of the fixture's gateway.
  static std::string operator_secret();
  /// The App object password of tenant `i` (1-based): its own, or the shared one.
  std::string app_password(int tenant) const;
  /// A browser-side client logged in as a myApps user of `system` through the PBX-issued login
  /// (fetched from the simulator's shell endpoint, as the shell page does). Returns the client and
  /// the AppLoginResult text.
  std::pair<std::shared_ptr<ws_client>, std::string> user_client(const std::string& system, const std::string& user);
  /// The login the PBX `system` issues to `user` for the App object, bound to `challenge`.
  issued_login pbx_issued_login(const std::string& system, const std::string& user, const std::string& challenge);

  /// HTTP to the simulator's control interface; returns {status, body}.
  std::pair<int, std::string> control(const std::string& method, const std::string& path, const std::string& body = {});

  /// The registry's current seq (asked from the registry actor; 0 if it did not answer).
  std::uint64_t registry_seq();
  /// Runs `change` (a simulator control call) and waits until the registry published a delta
  /// after it: one delta per change, where the devices-api link would merge pushes that arrive
  /// together. False if none came within 10 s.
  bool change_and_publish(const std::function<void()>& change);

  /// Waits until `pred` is true (polling every 100 ms) or `timeout` passes.
  static bool eventually(const std::function<bool()>& pred, std::chrono::milliseconds timeout);

  product_options options;
  net::io_runtime io{2};
  std::unique_ptr<system_config> cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::optional<models::catalog> catalog;
  std::optional<models::keyboard_layouts> layouts;
  registry_actor registry;
  phone_manager_node_actor phones;
  std::unique_ptr<gateway::gateway> gw;
  std::unique_ptr<sim::sim_runtime> simulator;
  std::string audit_path;
  std::unique_ptr<sim::sim_tls> tls; ///< with options.tls: the simulator's CA and certificates
  std::string pin_path;              ///< with options.pin_file
};

/// Every device of a QueryDevices over all pages: id → the device object's JSON members we compare.
struct listed_device {
  std::string id, hw_id, name, product, domain_name;
  bool online = false, stale = false;
};
std::map<std::string, listed_device> list_all(ws_client& c, const std::string& extra_members = {});

} // namespace mpk::test
