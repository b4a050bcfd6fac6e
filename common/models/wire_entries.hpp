#pragma once
/// The wire entries a phone's data may hold and the rules of each: which {placeholders} its
/// forms take, whether sending it changes something on the phone, whether a phone session
/// tries its candidates in order, and which `format` settings its candidates may carry.
/// A new entry is one more row here plus a judge of its answers (services/phone-session/wire).

#include <string_view>
#include <vector>

namespace mpk::models {

struct wire_entry_rule {
  std::string_view name;
  std::vector<std::string_view> placeholders; ///< allowed in a form
  std::vector<std::string_view> required;     ///< each form must have these
  bool acts = false;    ///< it changes the phone (a key press): a wire check runs it only when asked
  bool searched = true; ///< a phone session tries the candidates in order until one works
  std::vector<std::string_view> format_keys; ///< settings a candidate's `format` may name
  std::string_view what;                     ///< one line for docs and reports
};

/// Every entry, in the order reports and files list them.
const std::vector<wire_entry_rule>& wire_entry_rules();

/// The rule of an entry; nullptr for a name that is not an entry.
const wire_entry_rule* find_wire_rule(std::string_view name);

} // namespace mpk::models
