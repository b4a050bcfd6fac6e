#pragma once
/// A device_query prepared for matching: the tenant scope, domain, online flag and the
/// lowercase search term (plus its MAC form without separators).

#include "common/actors/messages.hpp"
#include "services/registry/device_entry.hpp"

#include <string>
#include <vector>

namespace mpk::registry {

class device_filter {
public:
  device_filter() : device_filter(device_query{}) {}
  explicit device_filter(const device_query& q);

  /// True when the device is inside the tenant scope and matches domain, online and search.
  bool matches(const device_entry& e) const;
  /// Tenant scope, domain and online only (the search term is checked by the index scan).
  bool matches_attributes(const device_entry& e) const;
  /// True when nothing is filtered (an operator's unfiltered list).
  bool accepts_all() const { return all_; }
  const std::string& domain() const { return domain_; }
  const std::vector<std::string>& tenants() const { return tenants_; }
  int online() const { return online_; } ///< -1 any, 0 offline, 1 online
  const std::string& term() const { return term_; }
  /// The term without ':'/'-' when it looks like a MAC fragment ("00:90:33" → "009033"), else "".
  const std::string& mac_term() const { return mac_; }
  /// Identity for grouping subscribers: two filters with an equal key match exactly the same
  /// devices (the term is compared after normalisation, the tenant scope as a sorted set).
  const std::string& key() const { return key_; }
  bool operator==(const device_filter& o) const { return key_ == o.key_; }
  bool operator!=(const device_filter& o) const { return key_ != o.key_; }

private:
  std::vector<std::string> tenants_;
  std::string domain_;
  int online_ = -1;
  std::string term_, mac_;
  bool all_ = true;
  std::string key_;
};

/// The search term as it is matched: trimmed, lowercase, control characters removed.
std::string normalize_term(std::string_view raw);

/// "00:90:33-4a" → "0090334a"; "" unless the term has a separator and only hex digits besides.
std::string mac_form(std::string_view term);

/// True when `tenant` is in `scope` (an empty scope means every tenant).
bool in_scope(const std::vector<std::string>& scope, const std::string& tenant);

} // namespace mpk::registry
