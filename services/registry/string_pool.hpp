#pragma once
/// Strings that many devices share (product, firmware version, type, domain id and name, link,
/// tenant) kept once: a million devices name a few dozen products and versions and ten thousand
/// domains, so each device holds pointers instead of its own copies. A pooled string keeps its
/// lowercase form beside it (the list order and the search compare lowercase) and a small
/// number, so a query can decide once per distinct value instead of once per device.
///
/// The pool only grows (a renamed domain leaves its old name behind): what it holds is bounded by
/// the distinct values the Devices instances ever reported, not by the devices.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

namespace mpk::registry {

struct pooled_string {
  std::string text, lower;
  std::uint32_t id = 0; ///< 0, 1, 2, … in the order the pool first saw them
};

class string_pool {
public:
  string_pool() = default;
  string_pool(const string_pool&) = delete;
  string_pool& operator=(const string_pool&) = delete;
  /// Moving keeps every pooled string where it is (the deque hands over its blocks).
  string_pool(string_pool&&) = default;
  string_pool& operator=(string_pool&&) = default;

  /// The pooled copy of `s` (added on first sight). The pointer stays valid as long as the pool.
  const pooled_string* intern(std::string_view s);
  /// The pooled copy of `s`, or null when the pool has none (nothing is added).
  const pooled_string* find(std::string_view s) const;
  std::size_t size() const { return items_.size(); }
  /// The string with this id (id < size()).
  const pooled_string& at(std::uint32_t id) const { return items_[id]; }

private:
  std::deque<pooled_string> items_; ///< a deque: growing never moves an element
  std::unordered_map<std::string_view, const pooled_string*> by_text_;
};

/// ASCII lowercase (names are UTF-8: bytes >= 0x80 are left as they are): the list order.
inline char lower_char(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

/// `c` as the search compares it: lowercase, and a newline as a space (a search term holds no
/// control characters, and a newline inside a field must not let it span two fields).
inline char fold(char c) { return c == '\n' ? ' ' : lower_char(c); }

} // namespace mpk::registry
