#pragma once
/// A small strict reader for the flat attribute-only XML the phone answers with
/// (`<regs><reg id="0" .../></regs>`, `<info .../>`). It is not a general XML parser: text
/// content, CDATA and DOCTYPE are refused. Every read is bounds-checked and the sizes are
/// capped, so hostile input yields an error, never undefined behaviour.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mpk::models {

/// Escape & < > " ' for an attribute value.
std::string xml_escape(std::string_view s);

struct xml_tag {
  enum class type { start, empty, end };
  type kind = type::start;
  std::string name;
  std::vector<std::pair<std::string, std::string>> attrs; ///< unescaped values, in order

  /// Attribute value or nullptr.
  const std::string* attr(std::string_view name) const;
};

class xml_tag_reader {
public:
  static constexpr std::size_t max_input = 1 << 20;
  static constexpr std::size_t max_attrs = 32;
  static constexpr std::size_t max_name = 64;
  static constexpr std::size_t max_value = 4096;

  explicit xml_tag_reader(std::string_view xml) : in_(xml) {}

  enum class result { tag, done, error };

  /// Reads the next tag, skipping whitespace, the `<?xml ...?>` prolog and comments.
  /// `done` at the end of input; `error` with a message in `err` otherwise.
  result next(xml_tag& out, std::string& err);

private:
  bool skip_space();
  bool read_name(std::string& out);
  bool read_value(std::string& out, std::string& err);
  std::string where() const;

  std::string_view in_;
  std::size_t pos_ = 0;
  bool any_tag_ = false; ///< the XML declaration may only come first
};

/// A flat list document as phones answer lists: `<root><item …/>…</root>` (`<item …></item>`
/// too), nothing else. `root` "" accepts any document element. `each` is called for every
/// item in order and returns "" or what is wrong with it; more than `max` items is an error.
/// False and `err` (without a prefix) when the document is not such a list.
bool read_flat_list(std::string_view xml, const std::string& root, const std::string& item, std::size_t max,
                    std::string_view items_name, const std::function<std::string(const xml_tag&)>& each,
                    std::string& err);

/// The value of attribute `name` ("" when absent, or when `name` is "": a format without it).
std::string attr_or_empty(const xml_tag& t, const std::string& name);

/// A format setting that lists values ("up,registered"): the items, trimmed, empty ones dropped.
std::vector<std::string> split_list(const std::string& s);
/// True if `v` is one of `list` (a split_list setting).
bool listed(const std::vector<std::string>& list, const std::string& v);

} // namespace mpk::models
