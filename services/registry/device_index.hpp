#pragma once
/// The list order of every device and a flat copy of it for fast scans. The list is one sorted
/// array of entries plus one contiguous text of all search keys, so a search term is one
/// substring scan over memory instead of a walk through 100,000 tree nodes. Changes are patched
/// in place while they are few (an online or stale flip or a new IP of the same length keeps its
/// place and is always patched; up to 32 inserts and erases between two reads are patched too);
/// beyond that they are collected and applied on the next read in one go: the batch is sorted
/// with precomputed keys (device_sort.hpp) and merged into the array, so a snapshot of 100,000
/// devices costs one sort, not 100,000 ordered inserts.

#include "services/registry/device_entry.hpp"
#include "services/registry/device_filter.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace mpk::registry {

class device_index {
public:
  /// Lists `e` (the caller keeps it alive until it erases it).
  void insert(const device_entry* e);
  /// Takes `e` out of the list; a collected erase holds `e` until the next read.
  void erase(const entry_ptr& e);
  /// `now` takes the place of `old` (the same device).
  void replace(const entry_ptr& old, const device_entry* now);
  std::size_t size() const { return flat_.size() - removed_.size() + added_.size(); }

  /// The entries in list order.
  const std::vector<const device_entry*>& ordered() const;

  /// Positions [first, last) of the run of entries whose domain name is `domain_lc`.
  std::pair<std::size_t, std::size_t> domain_run(const std::string& domain_lc) const;

  /// Calls `visit` in list order for each entry in positions [first, last) that matches the
  /// filter (search term, MAC form, tenants, domain, online).
  void scan(const device_filter& f, std::size_t first, std::size_t last,
            const std::function<void(const device_entry*)>& visit) const;

private:
  /// Applies the collected inserts and erases (one sort of the batch, one merge, one rebuild of
  /// the scan arrays); then everything below reads a complete list.
  void settle() const;
  void rebuild_scan_arrays() const;
  /// Whether one more insert/erase is patched into the arrays now (else it is collected).
  bool may_patch() const;
  static constexpr int max_patches = 32;
  void patch_insert(const device_entry* e);
  void patch_erase(const device_entry* e);
  /// True while inserts or erases wait to be settled; the array is then frozen: no patch moves it.
  bool collecting() const { return !added_.empty() || !removed_.empty(); }
  /// The first position >= from (and < last) whose search key contains `term`; `last` if none.
  std::size_t next_term(const std::string& term, std::size_t from, std::size_t last) const;
  /// Like next_term, but the match must lie inside the entry's hwId.
  std::size_t next_hw(const std::string& mac, std::size_t from, std::size_t last) const;
  /// The position whose key text holds blob_pos; `hint` is a position at or before it.
  std::size_t slot_of(std::size_t blob_pos, std::size_t hint) const;
  std::uint32_t tenant_id(const std::string& tenant) const;

  mutable int patches_ = 0;  ///< inserts/erases patched in since the last read
  mutable std::vector<const device_entry*> flat_;     ///< list order (minus removed_, plus added_)
  /// Collected changes: entries to add (each knows its slot here, device_entry::batch_slot), and
  /// positions in flat_ to take out, with their entries held so that every entry of flat_ stays
  /// valid for binary searches until the batch is settled.
  mutable std::vector<const device_entry*> added_;
  mutable std::vector<std::size_t> removed_;
  mutable std::vector<entry_ptr> removed_hold_;
  mutable std::string blob_;                 ///< search keys in list order, each followed by '\0'
  /// Slot i is blob_[offsets_[i], offsets_[i+1] - 1); one more offset than slots.
  mutable std::vector<std::size_t> offsets_ = std::vector<std::size_t>(1, 0);
  /// What the filters test, per position, next to each other in memory (no pointer chasing).
  struct slot_attr {
    std::uint32_t tenant = 0;  ///< interned tenant name
    bool online = false;
  };
  mutable std::vector<slot_attr> attrs_;
  mutable std::unordered_map<std::string, std::uint32_t> tenant_ids_;
};

} // namespace mpk::registry
