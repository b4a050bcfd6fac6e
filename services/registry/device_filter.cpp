#include "services/registry/device_filter.hpp"

#include <algorithm>
#include <string>

namespace mpk::registry {

std::string normalize_term(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (char c : raw) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) continue;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    out.push_back(c);
  }
  auto first = out.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  auto last = out.find_last_not_of(' ');
  return out.substr(first, last - first + 1);
}

std::string mac_form(std::string_view term) {
  std::string out;
  bool separator = false;
  for (char c : term) {
    if (c == ':' || c == '-') {
      separator = true;
      continue;
    }
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return {};
    out.push_back(c >= 'A' && c <= 'F' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return separator ? out : std::string{};
}

bool in_scope(const std::vector<std::string>& scope, const std::string& tenant) {
  return scope.empty() || std::find(scope.begin(), scope.end(), tenant) != scope.end();
}

device_filter::device_filter(const device_query& q)
    : tenants_(q.tenants),
      domain_(q.domain),
      online_(q.online == 0 || q.online == 1 ? q.online : -1),
      term_(normalize_term(q.search)) {
  mac_ = mac_form(term_);
  all_ = tenants_.empty() && domain_.empty() && online_ < 0 && term_.empty();
  // Length-prefixed parts: no tenant, domain or term can be made to look like another field.
  auto sorted = tenants_;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  auto part = [this](const std::string& s) {
    key_ += std::to_string(s.size());
    key_ += ':';
    key_ += s;
  };
  key_ = "t" + std::to_string(sorted.size());
  for (const auto& t : sorted) part(t);
  part(domain_);
  key_ += online_ < 0 ? '*' : static_cast<char>('0' + online_);
  part(term_);
}

bool device_filter::matches_attributes(const device_entry& e) const {
  if (!tenants_.empty() && !in_scope(tenants_, e.tenant->text)) return false;
  if (!domain_.empty() && e.domain_id->text != domain_) return false;
  return online_ < 0 || e.online == (online_ == 1);
}

bool device_filter::matches(const device_entry& e) const {
  if (all_) return true;
  if (!matches_attributes(e)) return false;
  if (term_.empty()) return true;
  if (e.search_key_contains(term_)) return true;
  return !mac_.empty() && e.hw_contains(mac_);
}

} // namespace mpk::registry
