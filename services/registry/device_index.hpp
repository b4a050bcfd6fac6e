#pragma once
/// The list order of every device and a flat copy of it for fast scans. Updates go to an
/// ordered set (O(log n) each); queries read a flat array of the entries in order and one
/// contiguous text of all search keys, so a search term is one substring scan over memory
/// instead of a walk through 100,000 tree nodes. Replacing an entry by one with the same sort
/// keys (an online or stale flip, a new IP) patches the flat copy in place; up to 32 inserts and
/// erases between two reads are patched in too; after a bigger burst it is rebuilt lazily on
/// the next read.

#include "services/registry/device_entry.hpp"
#include "services/registry/device_filter.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace mpk::registry {

class device_index {
public:
  void insert(const device_entry* e);
  void erase(const device_entry* e);
  /// `now` takes the place of `old` (the same device).
  void replace(const device_entry* old, const device_entry* now);
  std::size_t size() const { return set_.size(); }

  /// The entries in list order.
  const std::vector<const device_entry*>& ordered() const;

  /// Positions [first, last) of the run of entries whose domain name is `domain_lc`.
  std::pair<std::size_t, std::size_t> domain_run(const std::string& domain_lc) const;

  /// Calls `visit` in list order for each entry in positions [first, last) that matches the
  /// filter (search term, MAC form, tenants, domain, online).
  void scan(const device_filter& f, std::size_t first, std::size_t last,
            const std::function<void(const device_entry*)>& visit) const;

private:
  void rebuild() const;
  /// Whether the flat copy is patched for one more insert/erase (else it is marked for rebuild).
  bool may_patch() const;
  static constexpr int max_patches = 32;
  /// The first position >= from (and < last) whose search key contains `term`; `last` if none.
  std::size_t next_term(const std::string& term, std::size_t from, std::size_t last) const;
  /// Like next_term, but the match must lie inside the entry's hwId.
  std::size_t next_hw(const std::string& mac, std::size_t from, std::size_t last) const;
  /// The position whose key text holds blob_pos; `hint` is a position at or before it.
  std::size_t slot_of(std::size_t blob_pos, std::size_t hint) const;
  std::uint32_t tenant_id(const std::string& tenant) const;

  std::set<const device_entry*, entry_order> set_;
  mutable bool dirty_ = true;
  mutable int patches_ = 0;  ///< inserts/erases patched in since the last read
  mutable std::vector<const device_entry*> flat_;
  mutable std::string blob_;                 ///< search keys in list order, each followed by '\0'
  mutable std::vector<std::size_t> offsets_; ///< slot i is blob_[offsets_[i], offsets_[i+1] - 1)
  /// What the filters test, per position, next to each other in memory (no pointer chasing).
  struct slot_attr {
    std::uint32_t tenant = 0;  ///< interned tenant name
    bool online = false;
  };
  mutable std::vector<slot_attr> attrs_;
  mutable std::unordered_map<std::string, std::uint32_t> tenant_ids_;
};

} // namespace mpk::registry
