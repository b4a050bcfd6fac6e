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
  return a->domain_name->lower == b->domain_name->lower && compare_lower(a->name, b->name) == 0 &&
         a->link == b->link && a->device_id == b->device_id;
}

} // namespace

bool device_index::may_patch() const {
  // A few patches between two reads (each moves the arrays behind the position: up to a few ms
  // at 100,000 devices) beat a rebuild; a burst of them does not: it is collected and settled
  // in one go on the next read.
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
  auto it = std::lower_bound(flat_.begin(), flat_.end(), e, entry_order{});
  if (it == flat_.end() || *it != e) return;  // not listed
  removed_.push_back(static_cast<std::size_t>(it - flat_.begin()));
  removed_hold_.push_back(p);
}

void device_index::patch_insert(const device_entry* e) {
  auto it = std::lower_bound(flat_.begin(), flat_.end(), e, entry_order{});
  auto i = static_cast<std::size_t>(it - flat_.begin());
  flat_.insert(it, e);
  attrs_.insert(attrs_.begin() + static_cast<std::ptrdiff_t>(i), slot_attr{tenant_id(e->tenant->text), e->online});
  auto at = offsets_[i];
  std::string key;
  e->append_search_key(key);
  blob_.insert(at, key.c_str(), key.size() + 1);  // with its '\0'
  offsets_.insert(offsets_.begin() + static_cast<std::ptrdiff_t>(i), at);
  for (auto j = i + 1; j < offsets_.size(); ++j) offsets_[j] += key.size() + 1;
}

void device_index::patch_erase(const device_entry* e) {
  auto it = std::lower_bound(flat_.begin(), flat_.end(), e, entry_order{});
  if (it == flat_.end() || *it != e) return;  // not in the list: nothing to take out
  auto i = static_cast<std::size_t>(it - flat_.begin());
  auto len = offsets_[i + 1] - offsets_[i];
  blob_.erase(offsets_[i], len);
  offsets_.erase(offsets_.begin() + static_cast<std::ptrdiff_t>(i));
  for (auto j = i; j < offsets_.size(); ++j) offsets_[j] -= len;
  flat_.erase(it);
  attrs_.erase(attrs_.begin() + static_cast<std::ptrdiff_t>(i));
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
  // Same place in the list: swap in place, unless the key text changes its length (that shifts
  // everything behind it, so it counts as a patch, and is collected while the array is frozen).
  auto old_size = old->search_key_size();
  bool shifts = old_size != now->search_key_size();
  auto it = std::lower_bound(flat_.begin(), flat_.end(), now, entry_order{});
  if (it == flat_.end() || *it != old || (shifts && !may_patch())) {
    erase(old_p);
    insert(now);
    return;
  }
  *it = now;
  auto i = static_cast<std::size_t>(it - flat_.begin());
  attrs_[i] = {tenant_id(now->tenant->text), now->online};
  std::string key;
  now->append_search_key(key);
  if (blob_.compare(offsets_[i], old_size, key) == 0) return;
  blob_.replace(offsets_[i], old_size, key);
  if (!shifts) return;
  auto grow = static_cast<std::ptrdiff_t>(key.size()) - static_cast<std::ptrdiff_t>(old_size);
  for (auto j = i + 1; j < offsets_.size(); ++j)
    offsets_[j] = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(offsets_[j]) + grow);
}

std::uint32_t device_index::tenant_id(const std::string& tenant) const {
  auto it = tenant_ids_.find(tenant);
  if (it != tenant_ids_.end()) return it->second;
  auto id = static_cast<std::uint32_t>(tenant_ids_.size());
  tenant_ids_.emplace(tenant, id);
  return id;
}

void device_index::settle() const {
  if (!collecting()) return;
  for (const auto* e : added_) e->batch_slot = device_entry::no_slot;
  sort_in_list_order(added_);
  if (!removed_.empty()) {
    std::sort(removed_.begin(), removed_.end());
    std::size_t kept = 0, next = 0;
    for (std::size_t i = 0; i < flat_.size(); ++i) {
      if (next < removed_.size() && removed_[next] == i) {
        ++next;
        continue;
      }
      flat_[kept++] = flat_[i];
    }
    flat_.resize(kept);
  }
  // Each entry of the smaller side finds its place by binary search in the larger one, and the
  // runs in between are copied as they are: a few changes into 100,000 devices, or a snapshot
  // of 100,000 into the few patched in before it, cost O(small * log(large)) string compares.
  std::vector<const device_entry*> out;
  out.reserve(flat_.size() + added_.size());
  auto merge_into = [&out](const std::vector<const device_entry*>& small, const std::vector<const device_entry*>& large) {
    auto from = large.begin();
    for (const auto* e : small) {
      auto at = std::lower_bound(from, large.end(), e, entry_order{});
      out.insert(out.end(), from, at);
      out.push_back(e);
      from = at;
    }
    out.insert(out.end(), from, large.end());
  };
  if (added_.size() <= flat_.size()) merge_into(added_, flat_);
  else merge_into(flat_, added_);
  flat_.swap(out);
  added_.clear();
  added_.shrink_to_fit();
  removed_.clear();
  removed_hold_.clear();
  rebuild_scan_arrays();
}

void device_index::rebuild_scan_arrays() const {
  attrs_.clear();
  attrs_.reserve(flat_.size());
  const pooled_string* last_tenant = nullptr;
  std::uint32_t last_id = 0;
  std::size_t bytes = 0;
  for (const auto* e : flat_) {
    // Neighbours in the list mostly share a tenant: one compare instead of a hash lookup.
    if (last_tenant != e->tenant) last_id = tenant_id(e->tenant->text);
    last_tenant = e->tenant;
    attrs_.push_back({last_id, e->online});
    bytes += e->search_key_size() + 1;
  }
  blob_.clear();
  blob_.shrink_to_fit();
  blob_.reserve(bytes);
  offsets_.clear();
  offsets_.reserve(flat_.size() + 1);
  for (const auto* e : flat_) {
    offsets_.push_back(blob_.size());
    e->append_search_key(blob_);
    blob_.push_back('\0');
  }
  offsets_.push_back(blob_.size());
  patches_ = 0;
}

const std::vector<const device_entry*>& device_index::ordered() const {
  settle();
  patches_ = 0;  // the budget is per burst between two reads
  return flat_;
}

std::pair<std::size_t, std::size_t> device_index::domain_run(const std::string& domain_lc) const {
  const auto& v = ordered();
  auto lo = std::lower_bound(v.begin(), v.end(), domain_lc,
                             [](const device_entry* e, const std::string& d) { return e->domain_name->lower < d; });
  auto hi = std::upper_bound(lo, v.end(), domain_lc,
                             [](const std::string& d, const device_entry* e) { return d < e->domain_name->lower; });
  return {static_cast<std::size_t>(lo - v.begin()), static_cast<std::size_t>(hi - v.begin())};
}

std::size_t device_index::slot_of(std::size_t blob_pos, std::size_t hint) const {
  // Matches come in list order: a few steps forward usually suffice, else a binary search.
  for (int step = 0; step < 16 && hint + 1 < offsets_.size(); ++step, ++hint)
    if (offsets_[hint + 1] > blob_pos) return hint;
  auto it = std::upper_bound(offsets_.begin() + static_cast<std::ptrdiff_t>(hint), offsets_.end(), blob_pos);
  return static_cast<std::size_t>(it - offsets_.begin()) - 1;
}

std::size_t device_index::next_term(const std::string& term, std::size_t from, std::size_t last) const {
  if (from >= last) return last;
  // Terms hold no control characters, so a match never spans two fields or two devices.
  std::string_view text(blob_.data(), offsets_[last]);
  auto pos = find_in(text, term, offsets_[from]);
  return pos == std::string_view::npos ? last : slot_of(pos, from);
}

std::size_t device_index::next_hw(const std::string& mac, std::size_t from, std::size_t last) const {
  std::string_view text(blob_.data(), offsets_[std::min(last, flat_.size())]);
  std::size_t pos = from < last ? offsets_[from] : text.size();
  std::size_t hint = std::min(from, last);
  while ((pos = find_in(text, mac, pos)) != std::string_view::npos) {
    auto i = hint = slot_of(pos, hint);
    auto hw_begin = offsets_[i] + flat_[i]->hw_pos();
    auto hw_end = hw_begin + flat_[i]->hw_id.size();
    if (pos >= hw_begin && pos + mac.size() <= hw_end) return i;
    ++pos;
  }
  return last;
}

void device_index::scan(const device_filter& f, std::size_t first, std::size_t last,
                        const std::function<void(const device_entry*)>& visit) const {
  settle();
  patches_ = 0;
  last = std::min(last, flat_.size());
  // The tenant scope as a table over interned ids: one array lookup per candidate.
  std::vector<char> tenant_ok;
  const bool any_tenant = f.tenants().empty();
  if (!any_tenant) {
    tenant_ok.assign(tenant_ids_.size(), 0);
    for (const auto& t : f.tenants()) {
      auto it = tenant_ids_.find(t);
      if (it != tenant_ids_.end()) tenant_ok[it->second] = 1;
    }
  }
  const int online = f.online();
  auto accept = [&](std::size_t i) {
    const auto& a = attrs_[i];
    if (!any_tenant && !tenant_ok[a.tenant]) return false;
    if (online >= 0 && a.online != (online == 1)) return false;
    return f.domain().empty() || flat_[i]->domain_id->text == f.domain();
  };
  if (f.term().empty()) {
    for (std::size_t i = first; i < last; ++i)
      if (accept(i)) visit(flat_[i]);
    return;
  }
  // Two ordered streams of candidates (the term anywhere, the MAC form inside hwId), merged.
  const auto& mac = f.mac_term();
  std::size_t a = next_term(f.term(), first, last);
  std::size_t b = mac.empty() ? last : next_hw(mac, first, last);
  while (a < last || b < last) {
    auto i = std::min(a, b);
    if (accept(i)) visit(flat_[i]);
    if (a == i) a = next_term(f.term(), i + 1, last);
    if (b == i) b = next_hw(mac, i + 1, last);
  }
}

} // namespace mpk::registry
