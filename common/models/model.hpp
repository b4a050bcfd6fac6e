#pragma once
/// One phone model as described by the model data (common/models/data/<family>.json).
/// Pure data: the phone-session, the simulated phone and the tests read it; nobody edits it
/// after the catalog has loaded.

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

/// One physical key of a model. Geometry stays in the JSON (only the web app draws keys).
struct key_spec {
  std::string id;    ///< internal key id, e.g. "D2", "F1", "SPEAKER"
  std::string kind;  ///< keypad, function, line, soft, nav, fixed, hook, alpha
  std::string label; ///< text printed on the key
  std::string sub;   ///< letters under a keypad digit ("ABC"), used for long presses
  bool led = false;  ///< function keys with an LED
};

/// The HTTP paths a phone of this model answers (templates with {placeholders}).
struct wire_spec {
  std::string lcd, key, touch, text, registrations, info, command;
  /// key id -> wire code, e.g. {"D0","0"}, {"SPEAKER","spk"}; sorted by id.
  std::vector<std::pair<std::string, std::string>> key_codes;
  /// action name -> path template, in file order.
  std::vector<std::pair<std::string, std::string>> actions;
};

struct model {
  std::string product;  ///< e.g. "IP222"
  std::string family;   ///< e.g. "IP2x2"
  std::string ui;       ///< "new" (V11+ status/app bars) or "old" (menu lines)
  screen_spec screen;
  bool touch = false;
  int function_keys = 0;
  std::vector<key_spec> keys; ///< only the keys this model has
  wire_spec wire;

  bool has_key(std::string_view id) const;
  const key_spec* find_key(std::string_view id) const;
  /// Wire code of a key id this model has; nullopt otherwise.
  std::optional<std::string> key_code(std::string_view id) const;
  /// Key id for a wire code (reverse of key_code); nullopt for unknown codes.
  std::optional<std::string> key_id_for_code(std::string_view code) const;
  /// Path template of an action; nullptr when the model has no such action.
  const std::string* action_template(std::string_view name) const;
  bool old_ui() const { return ui == "old"; }
};

} // namespace mpk::models
