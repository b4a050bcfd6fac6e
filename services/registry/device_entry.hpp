#pragma once
/// One device as the registry's index keeps it: the record plus the lowercase keys that make
/// searching and ordering cheap. Entries are immutable and shared, so the event log can keep the
/// before/after images of a change without copying records.

#include "common/actors/messages.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace mpk::registry {

struct device_entry {
  device_record rec;
  /// Lowercase "name\nproduct\nip\nhwid\nversion": one substring search covers all five fields.
  std::string search;
  std::size_t hw_pos = 0, hw_len = 0;  ///< the hwId part of `search`
  std::string domain_lc, name_lc;      ///< sort keys (domain name, then name)

  std::string_view hw_lc() const { return std::string_view(search).substr(hw_pos, hw_len); }

  /// Bookkeeping of the one device_index that lists this entry, not part of the device: where
  /// it waits in the index's batch of inserts (no_slot when it is not waiting). Kept here so an
  /// erase right after an insert finds it without a hash set of every pending entry.
  static constexpr std::size_t no_slot = static_cast<std::size_t>(-1);
  mutable std::size_t batch_slot = no_slot;
};

using entry_ptr = std::shared_ptr<const device_entry>;

/// Builds the entry (and its keys) of a record.
entry_ptr make_entry(device_record rec);

/// ASCII lowercase copy (names are UTF-8: bytes >= 0x80 are left as they are).
std::string lower(std::string_view s);

/// True when every field of the two records is equal.
bool same_record(const device_record& a, const device_record& b);

/// Stable list order: domain name, then name (both case-insensitive), then link and device id.
struct entry_order {
  bool operator()(const device_entry* a, const device_entry* b) const;
};

} // namespace mpk::registry
