#include "bench/soak/soak_counters.hpp"

#include <chrono>
#include <cstdio>

namespace mpk::soak {

namespace {
const auto soak_start = std::chrono::steady_clock::now();
}

double soak_seconds() { return std::chrono::duration<double>(std::chrono::steady_clock::now() - soak_start).count(); }

void soak_counters::note(const std::string& what) {
  char at[32];
  std::snprintf(at, sizeof at, "%8.1f s  ", soak_seconds());
  std::lock_guard lock(mu_);
  if (notes_.size() < max_notes)
    notes_.push_back(at + what);
  else
    ++dropped_;
}

std::vector<std::string> soak_counters::notes() const {
  std::lock_guard lock(mu_);
  auto out = notes_;
  if (dropped_) out.push_back("… and " + std::to_string(dropped_) + " more");
  return out;
}

void soak_counters::count_error(const std::string& request_and_code, const std::string& text) {
  std::lock_guard lock(mu_);
  auto& e = by_code_[request_and_code];
  if (e.n++ == 0) e.first_text = text.substr(0, 160);
}

std::map<std::string, soak_counters::error_count> soak_counters::errors_by_code() const {
  std::lock_guard lock(mu_);
  return by_code_;
}

} // namespace mpk::soak
