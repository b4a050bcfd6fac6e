#pragma once
/// One simulated Devices App *instance* (`/<domain>/<instance>` on the simulator's port): its
/// database of domains and devices, the `com.innovaphone.devices` service sessions, the sysclient
/// links of the devices and the passthrough tunnel (docs/spec/devices-api.md §1–§6, §10).

#include "common/net/connection.hpp"
#include "common/net/server.hpp"
#include "sim/devices/list_fault.hpp"
#include "sim/devices/records.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mpk::net {
class io_runtime;
}

namespace mpk::sim {

/// Names of the pushes. Only DeviceUpdate/DeviceRemoved were ever captured (docs/spec/devices-api.md §2.2); the others
/// are [inf] and configurable so a client's tolerance of other names can be tested.
struct push_names {
  std::string device_update = "DeviceUpdate";
  std::string device_added = "DeviceAdded";
  std::string device_removed = "DeviceRemoved";
  std::string domain_update = "DomainUpdate";
  std::string domain_added = "DomainAdded";
  std::string domain_removed = "DomainRemoved";
};

struct instance_options {
  std::size_t chunk_size = 500; ///< list entries per Get*Result message [inf]
  push_names pushes;
  std::chrono::milliseconds passthrough_timeout{10000};
  std::uint64_t seed = 1; ///< drives the random changes of restart()
};

/// A change of one device row: only the fields that are set change. With neither `id` nor a
/// known `hw_id` it adds a device.
struct device_change {
  std::optional<std::int64_t> id;
  std::optional<std::string> hw_id, name, product, version, type, ipv4;
  std::optional<std::int64_t> domain_id;
  std::optional<bool> pbx_active, online;
};

/// A change of one domain row: only the set fields change; without `id` it adds a domain.
struct domain_change {
  std::optional<std::int64_t> id;
  std::optional<std::string> name, password, admin_password;
  std::optional<bool> deploy_admin_passwords;
};

struct change_result {
  bool ok = false;
  std::string error;
  std::int64_t id = 0;
  bool added = false;
};

class service_session;
class sysclient_link;

class devices_instance : public std::enable_shared_from_this<devices_instance> {
public:
  devices_instance(net::io_runtime& rt, std::string domain, std::string name, std::string password,
                   instance_options opts = {});
  ~devices_instance();
  devices_instance(const devices_instance&) = delete;
  devices_instance& operator=(const devices_instance&) = delete;

  // -- identity ----------------------------------------------------------------

  const std::string& domain() const { return domain_; }
  const std::string& name() const { return name_; }
  const std::string& password() const { return password_; }
  const instance_options& options() const { return opts_; }
  /// "/<domain>/<instance>"
  std::string path() const { return "/" + domain_ + "/" + name_; }
  /// The simulator's HTTP base, e.g. "http://127.0.0.1:8090" (set once the port is known).
  void set_http_base(std::string base);
  /// http base + path + "/passthrough/": device `uri`s start with it.
  std::string passthrough_prefix() const;

  // -- database ----------------------------------------------------------------

  /// Replaces the whole database (no pushes): the start-up population.
  void load(std::vector<domain_record> domains, std::vector<device_record> devices);
  /// Adds or changes a device and pushes the change to subscribed sessions.
  change_result apply(const device_change& change);
  /// Removes a device (its live sysclient, if any, is dropped too); pushes DeviceRemoved.
  bool remove_device(std::int64_t id);
  /// Adds or changes a domain and pushes DomainAdded/DomainUpdate to subscribed sessions.
  change_result apply_domain(const domain_change& change);
  /// Removes an empty domain (not the instance domain); pushes DomainRemoved. Error text otherwise.
  std::string remove_domain(std::int64_t id);
  /// Sets the `online` flag of a device without a live sysclient (a DB-only device).
  /// False if unknown or if a live phone plays it (those go online by connecting).
  bool set_online_flag(std::string_view hw_id, bool online);
  /// Marks rows as played by a live phone (their `online` then follows the sysclient link).
  void mark_live(std::string_view hw_id, bool live);

  std::optional<device_record> device_by_id(std::int64_t id) const;
  std::optional<device_record> device_by_hw(std::string_view hw_id) const;
  std::optional<domain_record> domain_by_name(std::string_view name) const;
  std::vector<domain_record> domains() const;
  std::vector<device_record> devices() const;
  std::size_t device_count() const;
  /// The full device list as one JSON array (for tests comparing lists), ordered by id, no `uri`.
  std::string devices_json() const;

  // -- endpoints ---------------------------------------------------------------

  /// A handler for a new service websocket; nullptr while the instance is down (restart).
  net::handler_ptr open_service();
  /// A handler for a new sysclient websocket; nullptr while down.
  net::handler_ptr open_sysclient();
  /// Serves `GET <path>/passthrough/<rest>`; `rest` = "<hwId>/<key>/<device path>[?query]".
  void passthrough(const net::http_request_info& req, std::string_view rest, net::http_responder respond);

  // -- faults ------------------------------------------------------------------

  struct restart_report {
    std::size_t services_dropped = 0, sysclients_dropped = 0;
    std::vector<std::string> changes; ///< what was changed while down, one line each
  };
  /// Drops every websocket (service sessions and sysclients), refuses new ones for `down`,
  /// applies `changes` random changes to the database meanwhile, then accepts again.
  restart_report restart(std::chrono::milliseconds down, int changes);
  bool is_down() const { return down_.load(); }
  /// Every passthrough waits `delay` first; `broken` answers 502 instead of tunnelling.
  void set_passthrough_fault(std::chrono::milliseconds delay, bool broken);
  /// How GetDevices is answered from now on (requests already answered are not affected).
  void set_list_fault(list_fault f) { list_fault_ = f; }
  list_fault current_list_fault() const { return list_fault_.load(); }
  /// Closes every connection and refuses new ones (process shutdown).
  void stop();
  /// Websocket handlers still alive (a handler dies when its close handshake has completed).
  int open_handlers() const { return handlers_->load(); }

  struct stats {
    std::size_t domains = 0, devices = 0, online = 0, unassigned = 0;
    std::size_t service_sessions = 0, sysclients = 0, passthroughs = 0;
    bool down = false;
    list_fault list = list_fault::none;
  };
  stats statistics() const;

private:
  friend class service_session;
  friend class sysclient_link;

  /// What the instance knows about one logged-in service session (guarded by mu_).
  struct session_state {
    /// Weak: the connection's handler holds the instance, so a strong reference back would make
    /// a cycle that outlives a process ending with websockets open.
    std::weak_ptr<net::connection> conn;
    std::uint64_t conn_id = 0;
    void send_text(std::string frame) const {
      if (auto c = conn.lock()) c->send_text(std::move(frame));
    }
    std::string key; ///< passthrough session key (GUID), new per websocket
    bool admin = false;
    std::int64_t domain_id = 0; ///< the domain of a domain-local login
    bool domain_updates = false, device_updates = false;
    bool all_domains = false; ///< device push scope: every domain within rights
    std::set<std::int64_t> scope;
    bool unassigned_scope = false;
    bool sees(std::int64_t domain) const { return admin ? true : domain != 0 && domain == domain_id; }
    bool wants_device(std::int64_t domain) const;
  };

  // -- used by service_session / sysclient_link (each takes mu_ itself) --------
  void conn_opened(const net::connection_ptr& c);
  void conn_closed(std::uint64_t conn_id);
  /// Checks an AppLogin. On success registers the session and returns its state.
  std::shared_ptr<session_state> login(const net::connection_ptr& c, std::string_view login_domain,
                                       const std::function<bool(std::string_view password)>& digest_ok,
                                       std::string& error);
  void send_domains(const std::shared_ptr<session_state>& s, std::string_view head, bool recv_updates);
  void send_devices(const std::shared_ptr<session_state>& s, std::string_view head, bool recv_updates,
                    const std::optional<std::string>& domain_ids, bool unassigned, std::string& error);
  std::size_t unassigned_count(const std::shared_ptr<session_state>& s) const;
  std::optional<std::string> domain_name_of(std::int64_t id) const;
  /// A provisioning code for `domain` (0 = caller's); a device identifying with it joins that domain
  /// and DeviceProvisioned goes to the session that asked (docs/spec/devices-api.md §2.1, minimal).
  std::optional<std::string> make_provisioning_code(const std::shared_ptr<session_state>& s, std::int64_t domain,
                                                    std::string src, std::string& error);
  void write_provisioned_device(const std::shared_ptr<session_state>& s, const std::string& code, json::json_writer& w,
                                std::string& error) const;

  // -- sysclient side ------------------------------------------------------------
  struct identify_outcome {
    enum kind { challenge, accepted, refused } what = refused;
    std::string sysclient_password;        ///< to send as 0x0001 (new or newly assigned device)
    std::string admin_seed, admin_pwd_hex; ///< 0x0003 to send, if the domain deploys passwords
    std::string error;
  };
  /// Looks a device up by its first identify; `provisioning_code` may place a new one in a domain.
  identify_outcome identify(const std::shared_ptr<sysclient_link>& link, const device_record& reported,
                            std::string_view provisioning_code);
  /// Checks the digest of the second identify; on success the device goes online.
  identify_outcome authenticate(const std::shared_ptr<sysclient_link>& link, const device_record& reported,
                                std::string_view challenge, std::string_view digest);
  void link_closed(const sysclient_link* link, const std::string& hw_id);

  // -- locked helpers (mu_ held) -------------------------------------------------
  void push_device_locked(const device_record* before, const device_record* after);
  void push_domain_locked(const domain_record* before, const domain_record* after);
  /// apply_domain under the lock; the admin passwords to deploy (link, seed, pwd hex) after it.
  change_result apply_domain_locked(
    const domain_change& ch,
    std::vector<std::pair<std::shared_ptr<sysclient_link>, std::pair<std::string, std::string>>>& deploy);
  void set_online_locked(device_record& d, bool online);
  std::string random_change_locked();
  std::string new_sysclient_password();

  net::io_runtime& rt_;
  const std::string domain_, name_, password_;
  instance_options opts_;

  mutable std::mutex mu_;
  std::string http_base_;
  std::map<std::int64_t, domain_record> domains_;
  std::map<std::int64_t, device_record> devices_;
  std::unordered_map<std::string, std::int64_t> by_hw_;
  std::int64_t next_device_id_ = 1;
  /// Every websocket (for restart); weak, like the sessions' and the links' references below.
  std::unordered_map<std::uint64_t, std::weak_ptr<net::connection>> open_;
  std::unordered_map<std::uint64_t, std::shared_ptr<session_state>> sessions_; ///< logged in, by conn id
  std::unordered_map<std::string, std::shared_ptr<session_state>> by_key_;
  std::unordered_map<std::string, std::weak_ptr<sysclient_link>> links_; ///< online sysclients by hwId
  /// The online sysclient of `hw_id` (null when none): mu_ held.
  std::shared_ptr<sysclient_link> link_of_locked(const std::string& hw_id) const;
  struct provisioning {
    std::int64_t domain_id = 0;
    std::uint64_t conn_id = 0; ///< the session that asked, for DeviceProvisioned
    std::string src;
    std::int64_t device_id = 0; ///< set once a device used the code
  };
  std::unordered_map<std::string, provisioning> codes_;
  std::mt19937_64 change_rng_{0x5eed};
  std::uint64_t changes_made_ = 0;
  std::uint64_t restart_epoch_ = 0;

  /// Counted by the handlers themselves (shared, so the count outlives nothing it should not).
  std::shared_ptr<std::atomic<int>> handlers_ = std::make_shared<std::atomic<int>>(0);
  std::atomic<bool> down_{false};
  std::atomic<bool> stopped_{false};
  std::atomic<std::int64_t> pt_delay_ms_{0};
  std::atomic<bool> pt_broken_{false};
  std::atomic<list_fault> list_fault_{list_fault::none};
  std::atomic<std::size_t> passthroughs_{0};
};

} // namespace mpk::sim
