#include "services/gateway/delta_merge.hpp"

namespace mpk::gateway {

void delta_merge::add(std::shared_ptr<const encoded_delta> d) {
  if (!d) return;
  if (count_++ == 0) first_ = d->seq;
  last_ = d->seq;
  // Removed before added: within one delta a device id appears once, so the order only matters
  // across deltas, where it is the seq order.
  for (const auto& x : d->removed) apply(kind::removed, x);
  for (const auto& x : d->added) apply(kind::added, x);
  for (const auto& x : d->changed) apply(kind::changed, x);
  held_.push_back(std::move(d));
}

std::size_t delta_merge::find(std::string_view id) const {
  if (slots_.size() <= scan_limit) {
    for (std::size_t i = 0; i < slots_.size(); ++i)
      if (slots_[i].id == id) return i;
    return slots_.size();
  }
  auto it = index_.find(id);
  return it == index_.end() ? slots_.size() : it->second;
}

void delta_merge::apply(kind k, const encoded_device& d) {
  auto at = find(d.id);
  if (at == slots_.size()) {
    slots_.push_back({d.id, k, &d});
    if (slots_.size() == scan_limit + 1)
      for (std::size_t i = 0; i < slots_.size(); ++i) index_.emplace(slots_[i].id, i);
    else if (slots_.size() > scan_limit + 1)
      index_.emplace(slots_.back().id, at);
    return;
  }
  auto& s = slots_[at];
  switch (s.k) {
    case kind::none: // it came and went: the client does not have it
      if (k != kind::removed) s.k = k, s.dev = &d;
      break;
    case kind::added: // the client never saw it
      if (k == kind::removed)
        s.k = kind::none, s.dev = nullptr;
      else
        s.dev = &d;
      break;
    case kind::changed: // the client has it
    case kind::removed: // the client has it until this merge is sent
      s.k = k == kind::removed ? kind::removed : kind::changed;
      s.dev = &d;
      break;
  }
}

std::shared_ptr<const std::string> delta_merge::body() const {
  if (count_ == 0) return nullptr;
  if (count_ == 1) return held_.front()->body;
  std::vector<const encoded_device*> added, changed, removed;
  for (const auto& s : slots_) {
    if (s.k == kind::added)
      added.push_back(s.dev);
    else if (s.k == kind::changed)
      changed.push_back(s.dev);
    else if (s.k == kind::removed)
      removed.push_back(s.dev);
  }
  return std::make_shared<const std::string>(delta_body(last_, first_, added, changed, removed));
}

void delta_merge::clear() {
  count_ = 0;
  first_ = last_ = 0;
  held_.clear();
  slots_.clear();
  index_.clear();
}

} // namespace mpk::gateway
