#pragma once
/// The list order of every device, for paging and searching. The list is cut into blocks of a
/// few hundred entries, each with its entries (pointers, never copies), one contiguous text of
/// their search keys and the attributes the filters test, so a search term is one substring scan
/// per block instead of a walk through a million entries, and a change touches one block: a
/// rename in a list of a million moves a few kilobytes, not the whole list.
///
/// A few changes between two reads are patched in place (a few µs each); a burst of them (a
/// snapshot) is collected and applied on the next read in one go: the batch is sorted with
/// precomputed keys (device_sort.hpp) and merged into the blocks it falls into; only those are
/// rebuilt, so a link's 10,000 devices joining a million cost their blocks, not the million.

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
  using visitor = std::function<void(const device_entry*)>;

  /// Lists `e` (the caller keeps it alive until it erases it).
  void insert(const device_entry* e);
  /// Takes `e` out of the list; a collected erase holds `e` until the next read.
  void erase(const entry_ptr& e);
  /// `now` takes the place of `old` (the same device).
  void replace(const entry_ptr& old, const device_entry* now);
  std::size_t size() const { return listed_ - removed_.size() + added_.size(); }

  /// Calls `visit` for the entries at list positions [first, last), in list order.
  void visit(std::size_t first, std::size_t last, const visitor& visit) const;
  /// A copy of the whole list in order (O(n): for checks, not for serving).
  std::vector<const device_entry*> ordered() const;

  /// Positions [first, last) of the run of entries whose domain name is `domain_lc`.
  std::pair<std::size_t, std::size_t> domain_run(const std::string& domain_lc) const;

  /// Calls `visit` in list order for each entry in positions [first, last) that matches the
  /// filter (search term, MAC form, tenants, domain, online).
  void scan(const device_filter& f, std::size_t first, std::size_t last, const visitor& visit) const;

  /// A page of the matches of `f` in positions [first, last): calls `visit` for the matches from
  /// the `skip`-th on, at most `take` of them, and returns the number of all matches. The
  /// number of matches per block is kept for the recent filters, by block version: at a million
  /// devices a page rescans only the blocks changed since its filter last ran, and the blocks
  /// the page itself lies in.
  std::size_t page(const device_filter& f, std::size_t first, std::size_t last, std::size_t skip, std::size_t take,
                   const visitor& visit) const;

  /// Entries per block after a split; a block splits when it holds twice as many.
  static constexpr std::size_t block_size = 512;

private:
  /// What the filters test, per entry, next to each other in memory (no pointer chasing).
  struct slot_attr {
    std::uint32_t tenant = 0; ///< interned tenant name
    bool online = false;
  };
  struct block {
    std::vector<const device_entry*> entries; ///< in list order
    std::string keys;                         ///< their search keys, each followed by '\0'
    /// Entry i's key is keys[offsets[i], offsets[i+1] - 1); one more offset than entries.
    std::vector<std::uint32_t> offsets = std::vector<std::uint32_t>(1, 0);
    std::vector<slot_attr> attrs;
    /// Changes with every change of the block (its entries, keys or attributes).
    std::uint64_t version = 0;
  };
  /// Matches of one filter per block version, and when the filter was last asked for.
  struct filter_counts {
    std::unordered_map<std::uint64_t, std::uint32_t> by_version;
    std::uint64_t last_use = 0;
  };
  static constexpr std::size_t max_counted_filters = 64;
  /// A block and a position in it.
  struct place {
    std::size_t block = 0, pos = 0;
    bool found = false; ///< the entry itself is there (else: where it would go)
  };

  /// Applies the collected inserts and erases (one sort of the batch, one merge into the blocks
  /// it touches); then everything below reads a complete list.
  void settle() const;
  void apply_removals() const;
  void merge_additions() const;
  /// Rebuilds the keys and attributes of a block from its entries.
  void fill(block& b) const;
  /// Blocks above the size limit split, empty ones go; then the start positions are recounted.
  void reshape(std::vector<std::size_t> touched) const;
  void recount() const;
  /// Where `e` is or would go.
  place find(const device_entry* e) const;
  /// The block holding list position `i` (i < size after settle()).
  std::size_t block_at(std::size_t i) const;
  /// Whether one more insert/erase is patched in now (else it is collected).
  bool may_patch() const;
  static constexpr int max_patches = 32;
  void patch_insert(const device_entry* e);
  void patch_erase(const device_entry* e);
  /// True while inserts or erases wait to be settled.
  bool collecting() const { return !added_.empty() || !removed_.empty(); }
  /// Calls `visit` for the matches in block b's positions [from, last) (local positions);
  /// `tenant_ok` (by interned tenant id) is null when every tenant is in scope.
  void scan_block(const block& b, const device_filter& f, std::size_t from, std::size_t last,
                  const std::vector<char>* tenant_ok, const visitor& visit) const;
  std::uint32_t tenant_id(const std::string& tenant) const;
  /// The tenant scope of `f` as a table over interned tenant ids.
  std::vector<char> tenant_table(const device_filter& f) const;
  /// A new version for a block that changed.
  void touch(block& b) const { b.version = ++versions_; }
  /// The counts of the filter with this key (made, and the least recently used one dropped, as needed).
  filter_counts& counts_of(const std::string& key) const;

  mutable int patches_ = 0; ///< inserts/erases patched in since the last read
  mutable std::vector<block> blocks_;
  /// starts_[b]: the list position of block b's first entry; one more (the total) at the end.
  mutable std::vector<std::size_t> starts_ = std::vector<std::size_t>(1, 0);
  mutable std::size_t listed_ = 0; ///< entries in the blocks
  /// Collected changes: entries to add (each knows its slot here, device_entry::batch_slot), and
  /// listed entries to take out, held so that every listed entry stays valid for binary searches
  /// until the batch is settled.
  mutable std::vector<const device_entry*> added_;
  mutable std::vector<entry_ptr> removed_;
  mutable std::unordered_map<std::string, std::uint32_t> tenant_ids_;
  mutable std::uint64_t versions_ = 0, uses_ = 0;
  mutable std::unordered_map<std::string, filter_counts> counts_; ///< by filter key
};

} // namespace mpk::registry
