#include "services/registry/device_index.hpp"

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
  return a->domain_lc == b->domain_lc && a->name_lc == b->name_lc && a->rec.link == b->rec.link &&
         a->rec.device_id == b->rec.device_id;
}

} // namespace

bool device_index::may_patch() const {
  if (dirty_) return false;
  // A few patches between two reads (each moves the arrays behind the position: up to a few ms
  // at 100,000 devices) beat a rebuild; a burst of them does not: the next read rebuilds once.
  if (++patches_ > max_patches) dirty_ = true;
  return !dirty_;
}

void device_index::insert(const device_entry* e) {
  set_.insert(e);
  if (!may_patch()) return;
  auto it = std::lower_bound(flat_.begin(), flat_.end(), e, entry_order{});
  auto i = static_cast<std::size_t>(it - flat_.begin());
  flat_.insert(it, e);
  attrs_.insert(attrs_.begin() + static_cast<std::ptrdiff_t>(i), slot_attr{tenant_id(e->rec.tenant), e->rec.online});
  auto at = offsets_[i];
  blob_.insert(at, e->search.c_str(), e->search.size() + 1);  // with its '\0'
  offsets_.insert(offsets_.begin() + static_cast<std::ptrdiff_t>(i), at);
  for (auto j = i + 1; j < offsets_.size(); ++j) offsets_[j] += e->search.size() + 1;
}

void device_index::erase(const device_entry* e) {
  if (!set_.erase(e) || !may_patch()) return;
  auto it = std::lower_bound(flat_.begin(), flat_.end(), e, entry_order{});
  if (it == flat_.end() || *it != e) {
    dirty_ = true;
    return;
  }
  auto i = static_cast<std::size_t>(it - flat_.begin());
  auto len = offsets_[i + 1] - offsets_[i];
  blob_.erase(offsets_[i], len);
  offsets_.erase(offsets_.begin() + static_cast<std::ptrdiff_t>(i));
  for (auto j = i; j < offsets_.size(); ++j) offsets_[j] -= len;
  flat_.erase(it);
  attrs_.erase(attrs_.begin() + static_cast<std::ptrdiff_t>(i));
}

void device_index::replace(const device_entry* old, const device_entry* now) {
  if (!same_order_keys(old, now)) {
    erase(old);
    insert(now);
    return;
  }
  // Same place in the list: swap the pointer in the set (erase by key, then insert).
  set_.erase(old);
  set_.insert(now);
  if (dirty_) return;
  auto it = std::lower_bound(flat_.begin(), flat_.end(), now, entry_order{});
  if (it == flat_.end() || *it != old) {
    dirty_ = true;
    return;
  }
  *it = now;
  auto i = static_cast<std::size_t>(it - flat_.begin());
  attrs_[i] = {tenant_id(now->rec.tenant), now->rec.online};
  // The key text changes in place when its length stays (an IP 10.0.0.1 → 10.0.0.2); else rebuild.
  if (old->search == now->search) return;
  if (old->search.size() != now->search.size()) {
    dirty_ = true;
    return;
  }
  blob_.replace(offsets_[i], now->search.size(), now->search);
}

std::uint32_t device_index::tenant_id(const std::string& tenant) const {
  auto it = tenant_ids_.find(tenant);
  if (it != tenant_ids_.end()) return it->second;
  auto id = static_cast<std::uint32_t>(tenant_ids_.size());
  tenant_ids_.emplace(tenant, id);
  return id;
}

void device_index::rebuild() const {
  flat_.assign(set_.begin(), set_.end());
  attrs_.clear();
  attrs_.reserve(flat_.size());
  for (const auto* e : flat_) attrs_.push_back({tenant_id(e->rec.tenant), e->rec.online});
  std::size_t bytes = 0;
  for (const auto* e : flat_) bytes += e->search.size() + 1;
  blob_.clear();
  blob_.reserve(bytes);
  offsets_.clear();
  offsets_.reserve(flat_.size() + 1);
  for (const auto* e : flat_) {
    offsets_.push_back(blob_.size());
    blob_.append(e->search);
    blob_.push_back('\0');
  }
  offsets_.push_back(blob_.size());
  dirty_ = false;
  patches_ = 0;
}

const std::vector<const device_entry*>& device_index::ordered() const {
  if (dirty_) rebuild();
  patches_ = 0;  // the budget is per burst between two reads
  return flat_;
}

std::pair<std::size_t, std::size_t> device_index::domain_run(const std::string& domain_lc) const {
  const auto& v = ordered();
  auto lo = std::lower_bound(v.begin(), v.end(), domain_lc,
                             [](const device_entry* e, const std::string& d) { return e->domain_lc < d; });
  auto hi = std::upper_bound(lo, v.end(), domain_lc,
                             [](const std::string& d, const device_entry* e) { return d < e->domain_lc; });
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
    auto hw_begin = offsets_[i] + flat_[i]->hw_pos;
    auto hw_end = hw_begin + flat_[i]->hw_len;
    if (pos >= hw_begin && pos + mac.size() <= hw_end) return i;
    ++pos;
  }
  return last;
}

void device_index::scan(const device_filter& f, std::size_t first, std::size_t last,
                        const std::function<void(const device_entry*)>& visit) const {
  if (dirty_) rebuild();
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
    return f.domain().empty() || flat_[i]->rec.domain_id == f.domain();
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
