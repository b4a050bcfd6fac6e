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

void delta_merge::apply(kind k, const encoded_device& d) {
  auto [it, fresh] = index_.try_emplace(d.id, slots_.size());
  if (fresh) {
    slots_.push_back({k, &d});
    return;
  }
  auto& s = slots_[it->second];
  switch (s.k) {
    case kind::none:  // it came and went: the client does not have it
      s = k == kind::removed ? slot{kind::none, nullptr} : slot{k, &d};
      break;
    case kind::added:  // the client never saw it
      if (k == kind::removed) s = {kind::none, nullptr};
      else s = {kind::added, &d};
      break;
    case kind::changed:  // the client has it
      s = {k == kind::removed ? kind::removed : kind::changed, &d};
      break;
    case kind::removed:  // the client has it until this merge is sent
      s = {k == kind::removed ? kind::removed : kind::changed, &d};
      break;
  }
}

std::shared_ptr<const std::string> delta_merge::body() const {
  if (count_ == 0) return nullptr;
  if (count_ == 1) return held_.front()->body;
  std::vector<const encoded_device*> added, changed, removed;
  for (const auto& s : slots_) {
    if (s.k == kind::added) added.push_back(s.dev);
    else if (s.k == kind::changed) changed.push_back(s.dev);
    else if (s.k == kind::removed) removed.push_back(s.dev);
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
