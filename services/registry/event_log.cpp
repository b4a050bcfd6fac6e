#include "services/registry/event_log.hpp"

namespace mpk::registry {

event_log::event_log(std::size_t max_deltas, std::size_t max_changes)
    : max_deltas_(max_deltas), max_changes_(max_changes) {}

void event_log::append(std::uint64_t seq, change_list changes) {
  changes_ += changes.size();
  deltas_.push_back({seq, std::move(changes)});
  while (!deltas_.empty() && (deltas_.size() > max_deltas_ || changes_ > max_changes_)) {
    changes_ -= deltas_.front().changes.size();
    deltas_.pop_front();
  }
}

std::optional<std::vector<const logged_delta*>> event_log::since(std::uint64_t from, std::uint64_t current) const {
  if (from > current) return std::nullopt;
  std::vector<const logged_delta*> out;
  if (from == current) return out;
  // Sequence numbers are consecutive: everything after `from` is kept iff `from + 1` still is.
  if (deltas_.empty() || deltas_.front().seq > from + 1 || deltas_.back().seq != current) return std::nullopt;
  auto first = static_cast<std::size_t>(from + 1 - deltas_.front().seq);
  for (std::size_t i = first; i < deltas_.size(); ++i) out.push_back(&deltas_[i]);
  return out;
}

device_delta filter_delta(std::uint64_t seq, const change_list& changes, const device_filter& f) {
  device_delta d;
  d.seq = seq;
  for (const auto& c : changes) {
    bool was = c.before && f.matches(*c.before);
    bool is = c.after && f.matches(*c.after);
    if (was && is)
      d.changed.push_back(c.after->record());
    else if (was)
      d.removed.push_back(c.after ? c.after->record() : c.before->record());
    else if (is)
      d.added.push_back(c.after->record());
  }
  return d;
}

} // namespace mpk::registry
