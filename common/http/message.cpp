#include "common/http/message.hpp"

#include <algorithm>

namespace mpk::http {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto x = static_cast<unsigned char>(a[i]);
    auto y = static_cast<unsigned char>(b[i]);
    if (x >= 'A' && x <= 'Z') x = static_cast<unsigned char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<unsigned char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

std::optional<std::string_view> header_list::get(std::string_view name) const {
  for (const auto& [key, value] : items)
    if (iequals(key, name)) return std::string_view{value};
  return std::nullopt;
}

void header_list::set(std::string name, std::string value) {
  auto it = std::find_if(items.begin(), items.end(), [&](const auto& item) { return iequals(item.first, name); });
  if (it == items.end()) {
    items.emplace_back(std::move(name), std::move(value));
    return;
  }
  it->second = std::move(value);
  items.erase(std::remove_if(it + 1, items.end(), [&](const auto& item) { return iequals(item.first, name); }),
              items.end());
}

std::size_t header_list::erase(std::string_view name) {
  auto before = items.size();
  items.erase(std::remove_if(items.begin(), items.end(), [&](const auto& item) { return iequals(item.first, name); }),
              items.end());
  return before - items.size();
}

} // namespace mpk::http
