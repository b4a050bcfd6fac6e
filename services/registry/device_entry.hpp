#pragma once
/// One device as the registry keeps it: a compact record. What many devices share (link, tenant,
/// product, version, type, domain id and name) points into the model's string_pool; only the
/// device's own name, hwId and IP are stored with it, and its registry id ("<link>:<number>") is
/// made when asked for. Entries are immutable and shared, so the event log can keep the
/// before/after images of a change without copying records; record() gives the full record that
/// leaves the registry.

#include "common/actors/messages.hpp"
#include "services/registry/string_pool.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace mpk::registry {

struct device_entry {
  const pooled_string* link = nullptr;
  const pooled_string* tenant = nullptr;
  const pooled_string* product = nullptr;
  const pooled_string* version = nullptr;
  const pooled_string* type = nullptr;
  const pooled_string* domain_id = nullptr;   ///< "<link>:<domain number>", or "" when unassigned
  const pooled_string* domain_name = nullptr; ///< its lowercase form is the first sort key
  std::int64_t device_id = 0;
  std::string name, hw_id, ip;
  bool online = false;
  bool stale = false;

  /// Bookkeeping of the one device_index that lists this entry, not part of the device: where
  /// it waits in the index's batch of inserts (no_slot when it is not waiting). Kept here so an
  /// erase right after an insert finds it without a hash set of every pending entry.
  static constexpr std::uint32_t no_slot = static_cast<std::uint32_t>(-1);
  mutable std::uint32_t batch_slot = no_slot;

  /// "<link>:<number>", the registry id.
  std::string id() const;
  /// The full record, as queries, deltas and targets carry it.
  device_record record() const;

  /// Lowercase "name\nproduct\nip\nhwid\nversion" (fold()): one substring search covers all five.
  void append_search_key(std::string& out) const;
  std::size_t search_key_size() const {
    return name.size() + product->text.size() + ip.size() + hw_id.size() + version->text.size() + 4;
  }
  /// Where the hwId lies in the search key.
  std::size_t hw_pos() const { return name.size() + product->text.size() + ip.size() + 3; }
  /// True when the search key contains `term` (a normalised term: lowercase, no control characters).
  bool search_key_contains(std::string_view term) const;
  /// True when the hwId, lowercase, contains `mac` (lowercase hex digits).
  bool hw_contains(std::string_view mac) const;
};

using entry_ptr = std::shared_ptr<const device_entry>;

/// Strings of a record its caller has pooled already (null: pooled from the record). A million
/// devices over ten thousand domains make each pool lookup of a domain a few cache misses.
struct pooled_parts {
  const pooled_string* link = nullptr;
  const pooled_string* tenant = nullptr;
  const pooled_string* domain_id = nullptr;
  const pooled_string* domain_name = nullptr;
};

/// Builds the entry of a complete record (its id, link, tenant and domain name filled in), its
/// shared strings taken from `known` where given, else from `pool`.
entry_ptr make_entry(const device_record& rec, string_pool& pool, const pooled_parts& known = {});

/// A copy of `e` to change before it takes e's place (not yet in any index).
std::shared_ptr<device_entry> copy_entry(const device_entry& e);

/// ASCII lowercase copy (names are UTF-8: bytes >= 0x80 are left as they are).
std::string lower(std::string_view s);

/// True when `id` is exactly "<link>:<n>" (checked without building the string).
bool is_scoped_id(std::string_view id, std::string_view link, std::int64_t n);

/// True when the entry holds exactly the record (every field, the id included).
bool same_device(const device_entry& e, const device_record& r);

/// Stable list order: domain name, then name (both case-insensitive), then link and device id.
struct entry_order {
  bool operator()(const device_entry* a, const device_entry* b) const;
};

/// The names compared as entry_order compares them (lowercase, byte by byte): <0, 0, >0.
int compare_lower(std::string_view a, std::string_view b);

} // namespace mpk::registry
