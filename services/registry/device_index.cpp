#include "services/registry/device_index.hpp"

#include "services/registry/device_sort.hpp"

#include <algorithm>
#include <cstring>
#include <string_view>

namespace mpk::registry {

namespace {

/// First occurrence of `needle` in text[from, text.size()), or npos. glibc's memmem skips ahead
/// by pairs of bytes, far faster than a first-character scan when, say, every IP starts "10.".
std::size_t find_in(std::string_view text, std::string_view needle, std::size_t from) {
  if (from > text.size() || needle.size() > text.size() - from) return std::string_view::npos;
  const void* hit = ::memmem(text.data() + from, text.size() - from, needle.data(), needle.size());
  return hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - text.data()) : std::string_view::npos;
}

bool same_order_keys(const device_entry* a, const device_entry* b) {
  return a->domain_name->lower == b->domain_name->lower && compare_lower(a->name, b->name) == 0 && a->link == b->link &&
         a->device_id == b->device_id;
}

/// The entry whose key text holds `text_pos`; `hint` is an entry at or before it.
std::size_t slot_of(const std::vector<std::uint32_t>& offsets, std::size_t text_pos, std::size_t hint) {
  // Matches come in list order: a few steps forward usually suffice, else a binary search.
  for (int step = 0; step < 16 && hint + 1 < offsets.size(); ++step, ++hint)
    if (offsets[hint + 1] > text_pos) return hint;
  auto it = std::upper_bound(offsets.begin() + static_cast<std::ptrdiff_t>(hint), offsets.end(), text_pos);
  return static_cast<std::size_t>(it - offsets.begin()) - 1;
}

} // namespace

// -- finding ----------------------------------------------------------------------------------

device_index::place device_index::find(const device_entry* e) const {
  place p;
  if (blocks_.empty()) return p;
  // The last block whose first entry is not after e.
  auto it = std::upper_bound(blocks_.begin(), blocks_.end(), e,
                             [](const device_entry* x, const block& b) { return entry_order{}(x, b.entries.front()); });
  p.block = it == blocks_.begin() ? 0 : static_cast<std::size_t>(it - blocks_.begin()) - 1;
  const auto& v = blocks_[p.block].entries;
  auto at = std::lower_bound(v.begin(), v.end(), e, entry_order{});
  p.pos = static_cast<std::size_t>(at - v.begin());
  p.found = at != v.end() && *at == e;
  return p;
}

std::size_t device_index::block_at(std::size_t i) const {
  auto it = std::upper_bound(starts_.begin(), starts_.end(), i);
  return static_cast<std::size_t>(it - starts_.begin()) - 1;
}

// -- patches ----------------------------------------------------------------------------------

bool device_index::may_patch() const {
  // A few patches between two reads beat collecting them; a burst (a snapshot) does not: one
  // sort and one merge of the whole batch cost less than thousands of binary searches.
  if (collecting() || patches_ >= max_patches) return false;
  ++patches_;
  return true;
}

void device_index::insert(const device_entry* e) {
  if (may_patch()) return patch_insert(e);
  e->batch_slot = static_cast<std::uint32_t>(added_.size());
  added_.push_back(e);
}

void device_index::erase(const entry_ptr& p) {
  const device_entry* e = p.get();
  if (e->batch_slot != device_entry::no_slot) {
    // Still waiting in the batch: the last one takes its slot.
    auto slot = e->batch_slot;
    added_[slot] = added_.back();
    added_[slot]->batch_slot = slot;
    added_.pop_back();
    e->batch_slot = device_entry::no_slot;
    return;
  }
  if (may_patch()) return patch_erase(e);
  removed_.push_back(p);
}

void device_index::patch_insert(const device_entry* e) {
  place p; // the first entry of an empty list goes into a new block
  if (blocks_.empty())
    blocks_.emplace_back();
  else
    p = find(e);
  auto& b = blocks_[p.block];
  auto i = static_cast<std::ptrdiff_t>(p.pos);
  std::string key;
  e->append_search_key(key);
  key.push_back('\0');
  auto at = b.offsets[p.pos];
  b.entries.insert(b.entries.begin() + i, e);
  b.attrs.insert(b.attrs.begin() + i, slot_attr{tenant_id(e->tenant->text), e->online});
  b.keys.insert(at, key);
  b.offsets.insert(b.offsets.begin() + i, at);
  for (auto j = p.pos + 1; j < b.offsets.size(); ++j) b.offsets[j] += static_cast<std::uint32_t>(key.size());
  touch(b);
  ++listed_;
  reshape({p.block});
}

void device_index::patch_erase(const device_entry* e) {
  auto p = find(e);
  if (!p.found) return; // not in the list: nothing to take out
  auto& b = blocks_[p.block];
  auto i = static_cast<std::ptrdiff_t>(p.pos);
  auto len = b.offsets[p.pos + 1] - b.offsets[p.pos];
  b.keys.erase(b.offsets[p.pos], len);
  b.offsets.erase(b.offsets.begin() + i);
  for (auto j = p.pos; j < b.offsets.size(); ++j) b.offsets[j] -= len;
  b.entries.erase(b.entries.begin() + i);
  b.attrs.erase(b.attrs.begin() + i);
  touch(b);
  --listed_;
  reshape({p.block});
}

void device_index::replace(const entry_ptr& old_p, const device_entry* now) {
  const device_entry* old = old_p.get();
  if (!same_order_keys(old, now)) {
    erase(old_p);
    insert(now);
    return;
  }
  if (old->batch_slot != device_entry::no_slot) {
    // Waiting in the batch: the new entry waits in its place.
    now->batch_slot = old->batch_slot;
    added_[now->batch_slot] = now;
    old->batch_slot = device_entry::no_slot;
    return;
  }
  // Same place in the list: swapped in place, its key rewritten inside its block.
  auto p = find(old);
  if (!p.found) {
    erase(old_p);
    insert(now);
    return;
  }
  auto& b = blocks_[p.block];
  touch(b);
  b.entries[p.pos] = now;
  b.attrs[p.pos] = {tenant_id(now->tenant->text), now->online};
  std::string key;
  now->append_search_key(key);
  auto from = b.offsets[p.pos];
  auto old_len = b.offsets[p.pos + 1] - from - 1;
  if (b.keys.compare(from, old_len, key) == 0) return;
  b.keys.replace(from, old_len, key);
  auto grow = static_cast<std::int64_t>(key.size()) - static_cast<std::int64_t>(old_len);
  for (auto j = p.pos + 1; j < b.offsets.size(); ++j)
    b.offsets[j] = static_cast<std::uint32_t>(static_cast<std::int64_t>(b.offsets[j]) + grow);
}

std::uint32_t device_index::tenant_id(const std::string& tenant) const {
  auto it = tenant_ids_.find(tenant);
  if (it != tenant_ids_.end()) return it->second;
  auto id = static_cast<std::uint32_t>(tenant_ids_.size());
  tenant_ids_.emplace(tenant, id);
  return id;
}

// -- batches ----------------------------------------------------------------------------------

void device_index::fill(block& b) const {
  b.attrs.clear();
  b.attrs.reserve(b.entries.size());
  std::size_t bytes = 0;
  for (const auto* e : b.entries) bytes += e->search_key_size() + 1;
  b.keys.clear();
  b.keys.reserve(bytes);
  b.offsets.clear();
  b.offsets.reserve(b.entries.size() + 1);
  const pooled_string* last_tenant = nullptr;
  std::uint32_t last_id = 0;
  for (const auto* e : b.entries) {
    // Neighbours in the list mostly share a tenant: one compare instead of a hash lookup.
    if (last_tenant != e->tenant) last_id = tenant_id(e->tenant->text);
    last_tenant = e->tenant;
    b.attrs.push_back({last_id, e->online});
    b.offsets.push_back(static_cast<std::uint32_t>(b.keys.size()));
    e->append_search_key(b.keys);
    b.keys.push_back('\0');
  }
  b.offsets.push_back(static_cast<std::uint32_t>(b.keys.size()));
  touch(b);
}

void device_index::reshape(std::vector<std::size_t> touched) const {
  std::sort(touched.begin(), touched.end());
  // From the back, so that the positions of the blocks before stay valid.
  for (auto t = touched.rbegin(); t != touched.rend(); ++t) {
    auto bi = *t;
    auto& b = blocks_[bi];
    if (b.entries.empty()) {
      blocks_.erase(blocks_.begin() + static_cast<std::ptrdiff_t>(bi));
      continue;
    }
    if (b.entries.size() <= 2 * block_size) continue;
    std::vector<block> parts;
    for (std::size_t at = 0; at < b.entries.size(); at += block_size) {
      auto end = std::min(b.entries.size(), at + block_size);
      auto& part = parts.emplace_back();
      part.entries.assign(b.entries.begin() + static_cast<std::ptrdiff_t>(at),
                          b.entries.begin() + static_cast<std::ptrdiff_t>(end));
      fill(part);
    }
    blocks_.erase(blocks_.begin() + static_cast<std::ptrdiff_t>(bi));
    blocks_.insert(blocks_.begin() + static_cast<std::ptrdiff_t>(bi), std::make_move_iterator(parts.begin()),
                   std::make_move_iterator(parts.end()));
  }
  recount();
}

void device_index::recount() const {
  starts_.resize(blocks_.size() + 1);
  std::size_t n = 0;
  for (std::size_t b = 0; b < blocks_.size(); ++b) {
    starts_[b] = n;
    n += blocks_[b].entries.size();
  }
  starts_[blocks_.size()] = n;
  listed_ = n;
}

void device_index::apply_removals() const {
  // Every place first (the entries are held, so each binary search still finds its way), then
  // each touched block compacted once.
  std::vector<place> gone;
  gone.reserve(removed_.size());
  for (const auto& p : removed_) {
    auto at = find(p.get());
    if (at.found) gone.push_back(at);
  }
  std::sort(gone.begin(), gone.end(),
            [](const place& a, const place& b) { return a.block != b.block ? a.block < b.block : a.pos < b.pos; });
  std::vector<std::size_t> touched;
  for (std::size_t i = 0; i < gone.size();) {
    auto bi = gone[i].block;
    auto& v = blocks_[bi].entries;
    std::size_t kept = 0;
    for (std::size_t pos = 0; pos < v.size(); ++pos) {
      if (i < gone.size() && gone[i].block == bi && gone[i].pos == pos) {
        ++i;
        continue;
      }
      v[kept++] = v[pos];
    }
    v.resize(kept);
    touched.push_back(bi);
  }
  for (auto bi : touched) fill(blocks_[bi]);
  removed_.clear();
  reshape(std::move(touched));
}

void device_index::merge_additions() const {
  for (const auto* e : added_) e->batch_slot = device_entry::no_slot;
  sort_in_list_order(added_);
  if (blocks_.empty()) blocks_.emplace_back();
  // Each added entry goes to the last block whose first entry is not after it; one walk over
  // the sorted batch and the blocks.
  std::vector<std::size_t> touched;
  std::size_t bi = 0;
  std::vector<const device_entry*> merged;
  for (std::size_t i = 0; i < added_.size();) {
    while (bi + 1 < blocks_.size() && !entry_order{}(added_[i], blocks_[bi + 1].entries.front())) ++bi;
    auto end = i + 1;
    if (bi + 1 < blocks_.size()) {
      const auto* next_first = blocks_[bi + 1].entries.front();
      while (end < added_.size() && entry_order{}(added_[end], next_first)) ++end;
    } else {
      end = added_.size();
    }
    auto& v = blocks_[bi].entries;
    merged.clear();
    merged.reserve(v.size() + (end - i));
    std::merge(v.begin(), v.end(), added_.begin() + static_cast<std::ptrdiff_t>(i),
               added_.begin() + static_cast<std::ptrdiff_t>(end), std::back_inserter(merged), entry_order{});
    v.swap(merged);
    touched.push_back(bi);
    i = end;
  }
  added_.clear();
  added_.shrink_to_fit();
  // A block grown past its limit is cut into parts (filled there); the others are filled here.
  for (auto t : touched)
    if (blocks_[t].entries.size() <= 2 * block_size) fill(blocks_[t]);
  reshape(std::move(touched));
}

void device_index::settle() const {
  if (!removed_.empty()) apply_removals();
  if (!added_.empty()) merge_additions();
  patches_ = 0; // the budget is per burst between two reads
}

// -- reads ----------------------------------------------------------------------------------

void device_index::visit(std::size_t first, std::size_t last, const visitor& visit) const {
  settle();
  last = std::min(last, listed_);
  if (first >= last) return;
  for (auto b = block_at(first); b < blocks_.size() && starts_[b] < last; ++b) {
    const auto& v = blocks_[b].entries;
    auto from = first > starts_[b] ? first - starts_[b] : 0;
    auto to = std::min(v.size(), last - starts_[b]);
    for (auto i = from; i < to; ++i) visit(v[i]);
  }
}

std::vector<const device_entry*> device_index::ordered() const {
  std::vector<const device_entry*> out;
  out.reserve(size());
  visit(0, size(), [&](const device_entry* e) { out.push_back(e); });
  return out;
}

std::pair<std::size_t, std::size_t> device_index::domain_run(const std::string& domain_lc) const {
  settle();
  // The first position whose domain name is not before (lo) / is after (hi) `domain_lc`.
  auto position = [&](auto before) {
    auto b =
      std::partition_point(blocks_.begin(), blocks_.end(), [&](const block& x) { return before(x.entries.back()); });
    if (b == blocks_.end()) return listed_;
    auto at = std::partition_point(b->entries.begin(), b->entries.end(), before);
    return starts_[static_cast<std::size_t>(b - blocks_.begin())] + static_cast<std::size_t>(at - b->entries.begin());
  };
  auto lo = position([&](const device_entry* e) { return e->domain_name->lower < domain_lc; });
  auto hi = position([&](const device_entry* e) { return e->domain_name->lower <= domain_lc; });
  return {lo, hi};
}

void device_index::scan_block(const block& b, const device_filter& f, std::size_t from, std::size_t last,
                              const std::vector<char>* tenant_ok, const visitor& visit) const {
  const int online = f.online();
  auto accept = [&](std::size_t i) {
    const auto& a = b.attrs[i];
    if (tenant_ok && !(*tenant_ok)[a.tenant]) return false;
    if (online >= 0 && a.online != (online == 1)) return false;
    return f.domain().empty() || b.entries[i]->domain_id->text == f.domain();
  };
  if (f.term().empty()) {
    for (auto i = from; i < last; ++i)
      if (accept(i)) visit(b.entries[i]);
    return;
  }
  // Terms hold no control characters, so a match never spans two fields or two devices.
  std::string_view text(b.keys.data(), b.offsets[last]);
  auto next_term = [&](std::size_t i) {
    if (i >= last) return last;
    auto pos = find_in(text, f.term(), b.offsets[i]);
    return pos == std::string_view::npos ? last : slot_of(b.offsets, pos, i);
  };
  // Like next_term, but the match must lie inside the entry's hwId.
  const auto& mac = f.mac_term();
  auto next_hw = [&](std::size_t i) {
    std::size_t pos = i < last ? b.offsets[i] : text.size();
    while ((pos = find_in(text, mac, pos)) != std::string_view::npos) {
      i = slot_of(b.offsets, pos, i);
      auto hw_begin = b.offsets[i] + b.entries[i]->hw_pos();
      if (pos >= hw_begin && pos + mac.size() <= hw_begin + b.entries[i]->hw_id.size()) return i;
      ++pos;
    }
    return last;
  };
  // Two ordered streams of candidates (the term anywhere, the MAC form inside hwId), merged.
  std::size_t x = next_term(from);
  std::size_t y = mac.empty() ? last : next_hw(from);
  while (x < last || y < last) {
    auto i = std::min(x, y);
    if (accept(i)) visit(b.entries[i]);
    if (x == i) x = next_term(i + 1);
    if (y == i) y = next_hw(i + 1);
  }
}

std::vector<char> device_index::tenant_table(const device_filter& f) const {
  // One array lookup per candidate instead of comparing names.
  std::vector<char> ok(tenant_ids_.size(), 0);
  for (const auto& t : f.tenants()) {
    auto it = tenant_ids_.find(t);
    if (it != tenant_ids_.end()) ok[it->second] = 1;
  }
  return ok;
}

void device_index::scan(const device_filter& f, std::size_t first, std::size_t last, const visitor& visit) const {
  page(f, first, last, 0, static_cast<std::size_t>(-1), visit);
}

device_index::filter_counts& device_index::counts_of(const std::string& key) const {
  auto it = counts_.find(key);
  if (it == counts_.end()) {
    if (counts_.size() >= max_counted_filters) {
      auto oldest = std::min_element(counts_.begin(), counts_.end(), [](const auto& a, const auto& b) {
        return a.second.last_use < b.second.last_use;
      });
      counts_.erase(oldest);
    }
    it = counts_.emplace(key, filter_counts{}).first;
  }
  it->second.last_use = ++uses_;
  return it->second;
}

std::size_t device_index::page(const device_filter& f, std::size_t first, std::size_t last, std::size_t skip,
                               std::size_t take, const visitor& visit) const {
  settle();
  last = std::min(last, listed_);
  if (first >= last) return 0;
  auto tenant_ok = f.tenants().empty() ? std::vector<char>() : tenant_table(f);
  const auto* scope = f.tenants().empty() ? nullptr : &tenant_ok;
  auto& counts = counts_of(f.key());
  std::unordered_map<std::uint64_t, std::uint32_t> fresh;
  std::size_t total = 0, taken = 0;
  for (auto bi = block_at(first); bi < blocks_.size() && starts_[bi] < last; ++bi) {
    const auto& b = blocks_[bi];
    auto from = first > starts_[bi] ? first - starts_[bi] : 0;
    auto to = std::min(b.entries.size(), last - starts_[bi]);
    bool whole = from == 0 && to == b.entries.size();
    auto known = whole ? counts.by_version.find(b.version) : counts.by_version.end();
    std::size_t n = known != counts.by_version.end() ? known->second : 0;
    // Scanned when its count is not known, or when the page lies (partly) in it.
    bool known_n = known != counts.by_version.end();
    if (!known_n || (taken < take && total + n > skip)) {
      n = 0;
      scan_block(b, f, from, to, scope, [&](const device_entry* e) {
        if (total + n >= skip && taken < take) {
          visit(e);
          ++taken;
        }
        ++n;
      });
    }
    if (whole) fresh.emplace(b.version, static_cast<std::uint32_t>(n));
    total += n;
  }
  // Only the blocks of this range are kept: the counts of changed blocks go with their versions.
  counts.by_version.swap(fresh);
  return total;
}

} // namespace mpk::registry
