#include "services/phone-session/src/wire_forms.hpp"

#include "common/models/wire_entries.hpp"

#include <algorithm>

namespace mpk::session {

wire_forms::wire_forms(std::shared_ptr<const models::wire_spec> spec, wire_choices known)
    : spec_(std::move(spec)), known_(std::move(known)) {
  // A remembered index the data no longer has (a shorter list after a reload) is forgotten.
  for (auto it = known_.begin(); it != known_.end();)
    it = it->second < count(it->first) ? std::next(it) : known_.erase(it);
}

std::size_t wire_forms::count(const std::string& entry) const {
  const auto* e = spec_ ? spec_->entry(entry) : nullptr;
  return e ? e->candidates.size() : 0;
}

bool wire_forms::known(const std::string& entry) const {
  if (known_.count(entry)) return true;
  const auto* rule = models::find_wire_rule(entry);
  return (rule && !rule->searched) || count(entry) == 1;
}

std::size_t wire_forms::current(const std::string& entry) const {
  if (auto it = known_.find(entry); it != known_.end()) return it->second;
  auto r = rounds_.find(entry);
  return r == rounds_.end() ? 0 : r->second.next;
}

const models::wire_candidate* wire_forms::candidate(const std::string& entry) const {
  return spec_ ? spec_->candidate(entry, current(entry)) : nullptr;
}

wire_forms::outcome wire_forms::record(const std::string& entry, std::size_t index, const wire::judgement& j,
                                       int status) {
  if (index != current(entry)) return outcome::wait;
  if (j.v == wire::verdict::works) {
    known_[entry] = static_cast<std::uint32_t>(index);
    rounds_.erase(entry);
    return outcome::chosen;
  }
  if (j.v == wire::verdict::no_answer || known_.count(entry)) return outcome::wait;
  auto& r = rounds_[entry];
  const auto* c = spec_->candidate(entry, index);
  r.tried.push_back("#" + std::to_string(index) + " " + (c ? c->form : std::string("?")) + ": " + j.why);
  r.statuses.push_back(status);
  if (++r.next < count(entry)) return outcome::next;
  r.last_tried = std::move(r.tried);
  r.last_statuses = std::move(r.statuses);
  r.tried.clear();
  r.statuses.clear();
  r.next = 0;
  return outcome::exhausted;
}

std::string wire_forms::exhausted_reason(const std::string& entry) const {
  std::string out = "no " + entry + " form answered";
  auto r = rounds_.find(entry);
  if (r == rounds_.end()) return out;
  for (std::size_t i = 0; i < r->second.last_tried.size(); ++i) out += (i ? "; " : ": ") + r->second.last_tried[i];
  return out;
}

bool wire_forms::all_not_found(const std::string& entry) const {
  auto r = rounds_.find(entry);
  if (r == rounds_.end() || r->second.last_statuses.empty()) return false;
  const auto& s = r->second.last_statuses;
  return std::all_of(s.begin(), s.end(), [](int st) { return st == 404; });
}

} // namespace mpk::session
