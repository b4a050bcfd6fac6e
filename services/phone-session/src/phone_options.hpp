#pragma once
/// Settings of the phone sessions, shared by the manager and every session it spawns.

#include "common/actors/interfaces.hpp"
#include "common/net/connection.hpp"

#include <caf/actor.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace mpk::net {
class io_runtime;
}
namespace mpk::session {
class key_label_store;
}
namespace mpk::models {
class catalog;
}
namespace mpk::session {
class wire_memory;
}

namespace mpk {

struct phone_options {
  net::io_runtime* io = nullptr;            ///< runs the passthrough HTTP requests
  registry_targets_actor registry;          ///< answers target / watch_tgt
  const models::catalog* catalog = nullptr; ///< model data: support check and wire paths
  /// The wire data in force (built-in or with phone.wire-file) and the forms learned per model and
  /// firmware; shared by the node so restarts keep both (nullptr: the manager makes a built-in one).
  std::shared_ptr<session::wire_memory> wire;
  net::tls_client_options tls;                 ///< verify by default; insecure = lab switch, logged as a warning
  std::chrono::milliseconds min_interval{250}; ///< fastest LCD poll
  /// Slowest LCD poll of a watched phone whose screen stays the same: the gap grows by half after
  /// each unchanged dump up to this, stays on a change of the screen's own, and falls back to
  /// min_interval on input (key, touch, text, action) or a new watcher. Most watched screens are
  /// still most of the time; a dump is 150–390 KB to move.
  std::chrono::milliseconds idle_interval{1000};
  std::chrono::milliseconds request_timeout{5000};
  std::chrono::milliseconds registrations_interval{5000};
  /// How often a watched phone's function keys (labels, LEDs) are read: LEDs follow calls.
  std::chrono::milliseconds function_keys_interval{1000};
  std::chrono::milliseconds grace{10000}; ///< session lives on this long after the last watcher leaves
  /// A frame unacknowledged this long counts as lost: that watcher gets a full frame again (0 = never).
  std::chrono::milliseconds ack_timeout{10000};
  std::string audit_path;                    ///< JSON lines, appended; survives restarts ("" = no audit log)
  std::uint64_t audit_max_bytes = 16u << 20; ///< rotate to <path>.1 beyond this (0 = never)
  unsigned audit_keep = 3;                   ///< rotated files kept
  /// Function-key labels operators set per phone, one JSON file per node ("" = in memory only).
  std::string key_labels_path;
  /// The loaded labels, shared by the sessions of the node (made by the phone manager).
  std::shared_ptr<session::key_label_store> key_labels;
};

} // namespace mpk
