#include "services/registry/string_pool.hpp"

namespace mpk::registry {

const pooled_string* string_pool::intern(std::string_view s) {
  auto it = by_text_.find(s);
  if (it != by_text_.end()) return it->second;
  auto& p = items_.emplace_back();
  p.text.assign(s);
  p.lower.reserve(s.size());
  for (char c : s) p.lower.push_back(lower_char(c));
  p.id = static_cast<std::uint32_t>(items_.size() - 1);
  by_text_.emplace(p.text, &p);
  return &p;
}

const pooled_string* string_pool::find(std::string_view s) const {
  auto it = by_text_.find(s);
  return it == by_text_.end() ? nullptr : it->second;
}

} // namespace mpk::registry
