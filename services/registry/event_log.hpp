#pragma once
/// The last deltas of the model, so a subscriber that lost its connection can resume from the
/// sequence number it saw last instead of reloading its list.

#include "common/actors/messages.hpp"
#include "services/registry/device_filter.hpp"
#include "services/registry/device_model.hpp"

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

namespace mpk::registry {

struct logged_delta {
  std::uint64_t seq = 0;
  change_list changes;
};

class event_log {
public:
  /// Keeps at most `max_deltas` deltas and at most `max_changes` device changes in all
  /// (a snapshot diff of a big link can be large; memory stays bounded either way).
  explicit event_log(std::size_t max_deltas = 10000, std::size_t max_changes = 1000000);

  /// Appends the delta of `seq` (sequence numbers are consecutive).
  void append(std::uint64_t seq, change_list changes);
  /// The deltas after `from` up to `current`, or nullopt when they are not all kept any more
  /// (or `from` lies in the future, e.g. after a registry restart).
  std::optional<std::vector<const logged_delta*>> since(std::uint64_t from, std::uint64_t current) const;
  std::size_t size() const { return deltas_.size(); }

private:
  std::size_t max_deltas_, max_changes_;
  std::size_t changes_ = 0;
  std::deque<logged_delta> deltas_;
};

/// The part of a delta a subscriber with this filter sees: a device that stops matching is sent
/// as removed (with its latest record), one that starts matching as added.
device_delta filter_delta(std::uint64_t seq, const change_list& changes, const device_filter& f);

/// The delta without filtering (seq + all records).
inline device_delta full_delta(std::uint64_t seq, const change_list& changes) { return filter_delta(seq, changes, {}); }

} // namespace mpk::registry
