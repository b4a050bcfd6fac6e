#include "services/registry/device_sort.hpp"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <tuple>
#include <unordered_map>

namespace mpk::registry {

namespace {

struct keyed {
  std::uint32_t domain = 0;               ///< rank of the lowercase domain name in the batch
  std::uint64_t name_hi = 0, name_lo = 0; ///< lowercase name bytes 0-7 and 8-15, big-endian, zero-padded
  const device_entry* e = nullptr;
};

/// Eight bytes of `s` lowercased from `at` as a big-endian number, zero-padded: comparing two
/// such numbers orders like compare_lower on those bytes (it compares as unsigned char).
std::uint64_t be8_lower(std::string_view s, std::size_t at) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    v <<= 8;
    if (at + i < s.size()) v |= static_cast<unsigned char>(lower_char(s[at + i]));
  }
  return v;
}

} // namespace

void sort_in_list_order(std::vector<const device_entry*>& entries) {
  if (entries.size() < 2) return;
  // Ranks of the distinct domain names (a few thousand at most, against 100,000 entries).
  std::unordered_map<std::string_view, std::uint32_t> rank;
  for (const auto* e : entries) rank.emplace(e->domain_name->lower, 0);
  std::vector<std::string_view> names;
  names.reserve(rank.size());
  for (const auto& [name, r] : rank) names.push_back(name);
  std::sort(names.begin(), names.end());
  for (std::size_t i = 0; i < names.size(); ++i) rank[names[i]] = static_cast<std::uint32_t>(i);

  std::vector<keyed> keys;
  keys.reserve(entries.size());
  const device_entry* prev = nullptr;
  std::uint32_t prev_rank = 0;
  for (const auto* e : entries) {
    // Runs of one domain are common in a snapshot: skip the hash lookup for them.
    if (!prev || prev->domain_name != e->domain_name) prev_rank = rank.at(e->domain_name->lower);
    prev = e;
    keys.push_back({prev_rank, be8_lower(e->name, 0), be8_lower(e->name, 8), e});
  }
  std::sort(keys.begin(), keys.end(), [](const keyed& a, const keyed& b) {
    if (a.domain != b.domain) return a.domain < b.domain;
    if (a.name_hi != b.name_hi) return a.name_hi < b.name_hi;
    if (a.name_lo != b.name_lo) return a.name_lo < b.name_lo;
    return entry_order{}(a.e, b.e); // same domain, same first 16 name bytes: the full order
  });
  for (std::size_t i = 0; i < keys.size(); ++i) entries[i] = keys[i].e;
}

} // namespace mpk::registry
