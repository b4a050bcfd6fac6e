#pragma once
/// One phone model as described by the model data (common/models/data/<family>.json).
/// Pure data: the phone-session, the simulated phone and the tests read it; nobody edits it
/// after the catalog has loaded.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mpk::models {

/// The LCD panel and the BMP depth of its screen dump.
struct screen_spec {
  int width = 0;
  int height = 0;
  int bpp = 0;        ///< 1, 4, 8, 16, 24 or 32
  bool color = false; ///< false: mono (1 bpp) or grey palette
};

/// What a key is for; its name in the layout JSON is the enumerator's.
enum class key_kind : std::uint8_t { keypad, function, line, soft, nav, fixed, hook, alpha };

inline constexpr std::pair<key_kind, std::string_view> key_kind_names[] = {
  {key_kind::keypad, "keypad"}, {key_kind::function, "function"}, {key_kind::line, "line"}, {key_kind::soft, "soft"},
  {key_kind::nav, "nav"},       {key_kind::fixed, "fixed"},       {key_kind::hook, "hook"}, {key_kind::alpha, "alpha"}};

/// The kind of that JSON name; nullopt for a name that is none.
inline std::optional<key_kind> key_kind_from(std::string_view name) {
  for (const auto& [kind, n] : key_kind_names)
    if (n == name) return kind;
  return std::nullopt;
}

/// One physical key of a model. Geometry stays in the JSON (only the web app draws keys).
struct key_spec {
  std::string id; ///< internal key id, e.g. "D2", "F1", "SPEAKER"
  key_kind kind = key_kind::keypad;
  std::string label; ///< text printed on the key
  std::string sub;   ///< letters under a keypad digit ("ABC"), used for long presses
  bool led = false;  ///< function keys with an LED
};

/// How an answer is read (registrations, info): setting name -> value, e.g. {"item","reg"},
/// {"state","state"}. Which names an entry takes is in its rule (wire_entries.hpp).
using wire_format = std::vector<std::pair<std::string, std::string>>;

/// One form of a wire entry: a path template with {placeholders}, where it comes from, and
/// what belongs to that form only.
struct wire_candidate {
  std::string form;
  std::string source; ///< the public source or reasoning behind the form (docs/wire-calibration.md)
  /// key id -> wire code for this form, merged over the entry-wide keyCodes (a key form of
  /// another firmware may name keys differently); sorted by id.
  std::vector<std::pair<std::string, std::string>> key_codes;
  wire_format format; ///< how to read the answer, over the entry's defaults
};

/// The candidates of one entry ("lcd", "key", ...) in the order a phone session tries them.
struct wire_entry {
  std::string name;
  std::vector<wire_candidate> candidates;
};

/// The HTTP paths a phone of this model answers: per entry an ordered list of candidate forms
/// (docs/wire-calibration.md), the key codes and the actions.
struct wire_spec {
  std::vector<wire_entry> entries; ///< in the order of wire_entry_rules()
  /// key id -> wire code, e.g. {"D0","0"}, {"SPEAKER","spk"}; sorted by id.
  std::vector<std::pair<std::string, std::string>> key_codes;
  /// action name -> path template, in file order.
  std::vector<std::pair<std::string, std::string>> actions;

  const wire_entry* entry(std::string_view name) const;
  wire_entry* entry(std::string_view name);
  /// Candidate `i` of an entry; nullptr when there is none.
  const wire_candidate* candidate(std::string_view name, std::size_t i = 0) const;
  /// The first candidate's form ("" when the entry has none): what a phone that speaks only
  /// this data answers, and what is sent while nothing better is known.
  const std::string& form(std::string_view name) const;
  /// The key codes of a key candidate: the entry-wide ones with the candidate's over them.
  std::vector<std::pair<std::string, std::string>> key_codes_for(const wire_candidate& c) const;
};

struct model {
  std::string product; ///< e.g. "IP222"
  std::string family;  ///< e.g. "IP2x2"
  std::string ui;      ///< "new" (V11+ status/app bars) or "old" (menu lines)
  screen_spec screen;
  bool touch = false;
  int function_keys = 0;
  std::vector<key_spec> keys; ///< only the keys this model has
  wire_spec wire;

  bool has_key(std::string_view id) const;
  const key_spec* find_key(std::string_view id) const;
  /// Wire code of a key id this model has; nullopt otherwise. With a key candidate: the code
  /// that form uses (its own keyCodes over the entry-wide ones of `w`).
  std::optional<std::string> key_code(std::string_view id) const;
  std::optional<std::string> key_code(std::string_view id, const wire_spec& w, const wire_candidate& c) const;
  /// Key id for a wire code (reverse of key_code); nullopt for unknown codes.
  std::optional<std::string> key_id_for_code(std::string_view code) const;
  std::optional<std::string> key_id_for_code(std::string_view code, const wire_spec& w, const wire_candidate& c) const;
  /// Path template of an action; nullptr when the model has no such action.
  const std::string* action_template(std::string_view name) const;
  bool old_ui() const { return ui == "old"; }
};

} // namespace mpk::models
