#pragma once
// An enum's values and their names in one table: parsing a name and naming a value read the
// same table, so the two can never disagree.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace mpk {

template <class E>
struct named_value {
  E value;
  std::string_view name; ///< a string literal (null-terminated)
};

template <class E, std::size_t N>
constexpr std::optional<E> value_named(const std::array<named_value<E>, N>& table, std::string_view name) {
  for (const auto& v : table)
    if (v.name == name) return v.value;
  return std::nullopt;
}

/// The value's name; the first entry's name for a value not in the table.
template <class E, std::size_t N>
constexpr const char* name_of(const std::array<named_value<E>, N>& table, E value) {
  for (const auto& v : table)
    if (v.value == value) return v.name.data();
  return table.front().name.data();
}

} // namespace mpk
