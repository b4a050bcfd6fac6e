#pragma once
// An actor system with the phone manager, a registry stand-in and watcher probes, against a
// passthrough on 127.0.0.1 (the fake one here, or the simulator's Devices App).

#include "common/actors/atoms.hpp"
#include "common/actors/interfaces.hpp"
#include "common/actors/system_config.hpp"
#include "common/net/io_runtime.hpp"
#include "services/phone-session/lcd/image.hpp"
#include "services/phone-session/src/phone_manager.hpp"
#include "services/phone-session/src/wire_memory.hpp"

#include <caf/actor_system.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace mpk::test {

/// The registry's phone interface, and a phone_target from the test that replaces what it knows
/// of a device and is pushed to the device's watchers.
using registry_stand_in_actor = registry_targets_actor::extend<caf::reacts_to<phone_target>>;

using namespace std::chrono_literals;

/// Polls `cond` every 10 ms until it holds or `timeout` passed; returns the last result.
bool eventually(const std::function<bool()>& cond, std::chrono::milliseconds timeout = 10s);

/// What a watcher probe received, in order.
struct probe_log {
  mutable std::mutex mu;
  std::vector<lcd_frame> frames;
  std::vector<phone_event> events;
  std::vector<caf::actor_addr> frame_senders;
  std::atomic<bool> auto_ack{true};

  std::size_t frame_count() const;
  std::optional<lcd_frame> last_frame() const;
  std::vector<lcd_frame> frames_copy() const;
  std::vector<phone_event> events_copy() const;
  caf::actor_addr last_sender() const;
  /// True when a PhoneState event with this state (and reason containing `reason_part`) came.
  bool saw_state(const std::string& state, const std::string& reason_part = "") const;
  /// Index of the first event after `from` that matches; -1 if none.
  int find_state(const std::string& state, std::size_t from = 0) const;
  std::optional<std::string> last_registrations() const;
  /// The body of the newest event `mt` ("" if none came).
  std::string last_event(const std::string& mt) const;
};

/// The test's view of what the phone shows, built from the frames like the web app does.
struct canvas {
  lcd::image img;
  std::size_t applied = 0;
  /// Paints every frame not applied yet; false if one did not decode or fit.
  bool catch_up(const probe_log& log);
};

struct fixture_options {
  /// How long the registry stand-in takes to answer a target request (a registry far away).
  std::chrono::milliseconds registry_answer_delay{0};
  std::chrono::milliseconds min_interval{100};
  std::chrono::milliseconds idle_interval{100}; ///< = min_interval: a steady pace unless a test asks
  std::chrono::milliseconds request_timeout{2000};
  std::chrono::milliseconds registrations_interval{300};
  std::chrono::milliseconds function_keys_interval{200};
  std::chrono::milliseconds grace{600};
  /// Long by default: tests with watchers that never ack count their frames exactly.
  std::chrono::milliseconds ack_timeout{60000};
  /// phone.wire-file of the node ("" = the built-in wire data).
  std::string wire_file;
};

class session_fixture {
public:
  explicit session_fixture(fixture_options o = {});
  ~session_fixture();

  /// Replaces what the registry stand-in knows of a device and pushes it to its watchers.
  void put_target(const phone_target& t);
  /// Makes the stand-in forget a device (answers "unknown device").
  struct watcher {
    phone_watcher_actor handle;
    std::shared_ptr<probe_log> log;
  };
  watcher make_watcher(bool auto_ack = true);
  /// (watch, device, tenants, watcher) -> phone_target or the error text.
  std::pair<std::optional<phone_target>, std::string> watch(const std::string& device, const watcher& w,
                                                            std::vector<std::string> tenants = {});
  void unwatch(const std::string& device, const watcher& w);
  void ack(const std::string& device, std::uint32_t seq, const watcher& w);
  command_result command(const phone_command& c);
  relayed_http admin_http(const std::string& device, const std::string& method, const std::string& path);
  std::string audit(const std::string& device, std::uint32_t limit);
  std::string status();
  /// (wire_check, device, acts, who) -> the report JSON, or "error: …".
  std::string wire_check(const std::string& device, std::vector<std::string> acts = {});
  /// (wire_reload) -> the node's JSON array, or "error: …".
  std::string reload_wire();
  /// The status entry of one device (JSON text) or "" if it has no session.
  std::string session_status(const std::string& device);

  static phone_command make_command(const std::string& device, command_kind kind, const std::string& name,
                                    const std::string& arg = {});

  system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  net::io_runtime rt{2};
  std::string audit_path;
  registry_stand_in_actor registry;
  phone_manager_node_actor manager;
  fixture_options opts;
  /// The node's wire data and learned forms (kept across manager and session restarts).
  std::shared_ptr<session::wire_memory> wire;

private:
  std::vector<phone_watcher_actor> probes_;
};

/// A JSON member of a flat object as text ("" if absent), numbers and strings alike.
std::string json_member(const std::string& object, const std::string& name);

} // namespace mpk::test
