#pragma once
/// Function keys as a phone's `functionKeys` wire entry reports them: the label each key shows
/// and its LED. XML form [inf] (the real V13 answer is not public; a candidate's `format` names
/// other element and attribute names, docs/wire-calibration.md):
///   <keys><key n="1" label="Alice" led="on" color="green"/>…</keys>
/// `n` is the key's number (F1 is 1), `led` off | on | blink | flash, `color` green | red | amber.

#include "common/models/model.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mpk::models {

struct function_key_state {
  int n = 0;          ///< 1-based: F<n>
  std::string label;  ///< "" = none
  std::string led;    ///< "off", "on", "blink", "flash"; "" = not reported
  std::string colour; ///< "green", "red", "amber"; "" = not reported or another colour
};

/// How an answer names its parts: a candidate's `format` over these defaults (our [inf] form).
/// An empty attribute name means the answer does not carry that field.
struct function_keys_format {
  std::string root = "keys";
  std::string item = "key";
  std::string n = "n", label = "label", led = "led", colour = "color";
  int n_base = 1;                       ///< 0 when the answer counts F1 as 0
  std::vector<std::string> on = {"on"}; ///< LED values that mean lit
  std::vector<std::string> blink = {"blink"};
  std::vector<std::string> flash = {"flash"};

  static function_keys_format from(const wire_format& f);
};

/// What the simulated phone serves.
std::string format_function_keys_xml(const std::vector<function_key_state>& keys, const function_keys_format& f = {});

/// What the phone-session reads. Strict and bounded (at most 128 keys, labels at most 256
/// bytes); unknown attributes are ignored, a missing or duplicate number is an error.
std::optional<std::vector<function_key_state>> parse_function_keys_xml(std::string_view xml,
                                                                       const function_keys_format& f, std::string& err);

} // namespace mpk::models
