#pragma once
// What every gateway actor shares: the configuration, the handles of the other services, the
// per-model data and the counters behind /metrics. Read-mostly; counters are atomics.

#include "common/actors/interfaces.hpp"
#include "common/models/catalog.hpp"
#include "common/models/keyboard_layouts.hpp"
#include "common/net/connection.hpp"
#include "services/gateway/admin_ui/relay_options.hpp"
#include "services/gateway/admin_ui/relay_sessions.hpp"
#include "services/gateway/connection_set.hpp"
#include "services/gateway/delta_encoding.hpp"
#include "services/gateway/delta_hub_directory.hpp"

#include <caf/actor.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace mpk::gateway {

struct gateway_options {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;
  std::string instance_domain = "example.com";         ///< the App Service instance's domain (AppLoginResult.domain)
  std::string password;                                ///< App object password of the instance
  std::map<std::string, std::string> domain_passwords; ///< per PBX domain (tenant) App object passwords
  std::string operator_name, operator_password;        ///< standalone admin login (off when empty)
  bool free_app = false;                               ///< ignore info.unlicensed (never set for the licensed product)
  /// Every PBX must have its own tenant.<domain>.password; the shared password is refused.
  bool require_tenant_passwords = false;
  std::string admin_host = "127.0.0.1";  ///< the admin listener (detailed /healthz, /metrics); "" = none
  unsigned short admin_port = 0;         ///< 0: a free port
  std::vector<std::string> trace_admins; ///< user sip names allowed to switch trace flags
  std::string web_dir, models_dir;
  std::string tls_certificate, tls_key;
  std::size_t max_message_bytes = 256 * 1024;
  std::size_t max_queue_bytes = 4 << 20;
  double client_rate = 100; ///< requests per second a client may send (burst 4×)
  /// A device change sooner than this after the last one waits for the ones after it, merged:
  /// at most one list message per browser per interval. With 0 a change waits only while the
  /// one before it is still being handed to the network (delta_hub.cpp).
  std::chrono::milliseconds fanout_linger{0};
  std::chrono::seconds login_timeout{30};
  admin_ui_options admin_ui; ///< the admin-UI relay (phone.admin-ui-*)
};

/// Handles of the services the gateway talks to; replaced when a peer process reconnects.
class service_handles {
public:
  registry_actor registry() const {
    std::lock_guard<std::mutex> g{m_};
    return registry_;
  }
  phone_manager_actor phones() const {
    std::lock_guard<std::mutex> g{m_};
    return phones_;
  }
  link_directory_actor directory() const {
    std::lock_guard<std::mutex> g{m_};
    return directory_;
  }
  /// The services that report their links (GetStatus, health), in the order directory, registry,
  /// phones.
  std::array<status_actor, 3> status_sources() const {
    std::lock_guard<std::mutex> g{m_};
    return {directory_, registry_, phones_};
  }
  void set_registry(registry_actor a) {
    std::lock_guard<std::mutex> g{m_};
    registry_ = std::move(a);
  }
  void set_phones(phone_manager_actor a) {
    std::lock_guard<std::mutex> g{m_};
    phones_ = std::move(a);
  }
  void set_directory(link_directory_actor a) {
    std::lock_guard<std::mutex> g{m_};
    directory_ = std::move(a);
  }

private:
  mutable std::mutex m_;
  registry_actor registry_;
  phone_manager_actor phones_;
  link_directory_actor directory_;
};

struct gateway_counters {
  std::atomic<std::uint64_t> clients{0}, clients_total{0}, logins_failed{0}, events_fanned_out{0}, frames_sent{0},
    pbx_reconnects{0}, requests{0};
};

struct gateway_context {
  gateway_options options;
  service_handles services;
  gateway_counters counters;
  relay_sessions relays; ///< the admin-UI relay sessions and their one-time tickets
  connection_set connections;
  delta_encoding_cache delta_cache; ///< DevicesChanged bodies shared by the clients of one filter
  delta_hub_directory hubs;         ///< one device list fan-out per (registry, filter)
  const models::catalog* catalog = nullptr;
  const models::keyboard_layouts* layouts = nullptr;
};

} // namespace mpk::gateway
