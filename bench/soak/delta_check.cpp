#include "bench/soak/delta_check.hpp"

#include <charconv>

namespace mpk::soak {

std::optional<std::uint64_t> churn_count(std::string_view name) {
  constexpr std::string_view prefix = "soak ";
  if (name.substr(0, prefix.size()) != prefix) return std::nullopt;
  auto sp = name.rfind(' ');
  if (sp == std::string_view::npos || sp < prefix.size()) return std::nullopt;
  std::uint64_t n = 0;
  auto digits = name.substr(sp + 1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return n;
}

void delta_stream::page(std::uint64_t seq) {
  started_ = true;
  last_ = seq;
  count_by_id_.clear();
}

void delta_stream::resumed(std::uint64_t resume_from) {
  started_ = true;
  last_ = resume_from;
}

std::uint64_t delta_stream::delta(std::optional<std::uint64_t> from, std::uint64_t seq) {
  ++f_.messages;
  if (from) ++f_.merged;
  if (!started_) {
    // A delta before any page: nothing to count it against (the page always comes first).
    ++f_.duplicated;
    return 1;
  }
  auto lo = from.value_or(seq);
  std::uint64_t found = 0;
  if (lo > seq) {
    found = 1; // a range that runs backwards covers nothing sensible
  } else if (lo <= last_) {
    found = std::min(seq, last_) - lo + 1;
    f_.duplicated += found;
  } else if (every_seq_ && lo > last_ + 1) {
    found = lo - last_ - 1;
    f_.lost += found;
  }
  if (seq > last_) last_ = seq;
  return found;
}

void delta_stream::device(const std::string& id, std::string_view name, bool in_merged_delta) {
  auto n = churn_count(name);
  if (!n) {
    count_by_id_.erase(id);
    return;
  }
  auto [it, fresh] = count_by_id_.try_emplace(id, *n);
  if (fresh) return;
  auto before = it->second;
  if (*n < before)
    ++f_.device_regressions;
  else if (*n > before + 1 && !in_merged_delta)
    f_.device_skips += *n - before - 1;
  it->second = std::max(before, *n);
}

void delta_stream::removed(const std::string& id) { count_by_id_.erase(id); }

} // namespace mpk::soak
