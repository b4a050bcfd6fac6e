#pragma once
/// The catalog of phone models loaded from the model data directory (docs/models.md):
/// which model a device is, whether we support it, and how to build the wire paths the
/// phone-session sends through the Devices passthrough.

#include "common/models/model.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mpk::models {

/// Answer of catalog::find: a model, or the reason why there is none.
struct support {
  const model* m = nullptr;
  std::string reason; ///< set when m == nullptr
};

class catalog {
public:
  static constexpr int max_hold_ms = 10000;
  static constexpr std::size_t max_text_bytes = 256;
  static constexpr std::size_t max_command_bytes = 512;
  static constexpr std::size_t max_arg_bytes = 256;

  /// Loads index.json, wire.json and every <family>.json from `dir`. On any problem the
  /// whole set is refused: nullopt and a message naming file and field in `error`.
  static std::optional<catalog> load(const std::string& dir, std::string& error);

  /// Model for a device of the Devices API. `device_type` must be PHONE (empty = not
  /// known), `version` must be V13 or later (e.g. "13r1 ...", empty = not known).
  support find(std::string_view product, std::string_view device_type = "PHONE", std::string_view version = "") const;

  /// Model by product name (case-insensitive), without the type and version checks.
  const model* get(std::string_view product) const;

  /// Supported products in index order.
  const std::vector<std::string>& products() const { return products_; }
  const std::string& dir() const { return dir_; }

  // -- wire rendering; nullopt and a message in err when the request is refused --------------
  // Each builder takes the wire data to use (the model's own, or an operator's override of it)
  // and, for the searched entries, the candidate form to render; without them the model's own
  // data and the first candidate.

  std::optional<std::string> key_request(const model& m, std::string_view key_id, int hold_ms, std::string& err) const;
  std::optional<std::string> key_request(const model& m, const wire_spec& w, const wire_candidate& form,
                                         std::string_view key_id, int hold_ms, std::string& err) const;
  std::optional<std::string> touch_request(const model& m, int x, int y, int hold_ms, std::string& err) const;
  std::optional<std::string> touch_request(const model& m, const wire_candidate& form, int x, int y, int hold_ms,
                                           std::string& err) const;
  std::optional<std::string> text_request(const model& m, std::string_view utf8_text, std::string& err) const;
  std::optional<std::string> text_request(const wire_candidate& form, std::string_view utf8_text,
                                          std::string& err) const;
  std::optional<std::string> action_request(const model& m, std::string_view action, std::string_view arg,
                                            std::string& err) const;
  std::optional<std::string> action_request(const wire_spec& w, std::string_view action, std::string_view arg,
                                            std::string& err) const;
  /// A raw command line ("config write"; a leading '!' is accepted). Refuses control
  /// characters, invalid UTF-8 and more than 512 bytes.
  std::optional<std::string> command_request(const model& m, std::string_view command, std::string& err) const;
  std::optional<std::string> command_request(const wire_spec& w, std::string_view command, std::string& err) const;

  std::string lcd_path(const model& m) const { return m.wire.form("lcd"); }
  std::string registrations_path(const model& m) const { return m.wire.form("registrations"); }
  std::string info_path(const model& m) const { return m.wire.form("info"); }
  std::vector<std::string> action_names(const model& m) const { return action_names(m.wire); }
  std::vector<std::string> action_names(const wire_spec& w) const;

private:
  friend class catalog_loader;

  std::string dir_;
  std::vector<std::string> products_;
  std::shared_ptr<const std::vector<model>> models_;             // shared: copies stay cheap and valid
  std::vector<std::pair<std::string, std::string>> unsupported_; // product -> reason
};

/// Major firmware version of a Devices API version string ("13r2 dvl [...]" -> 13,
/// "V12r1" -> 12); nullopt when it does not start with a number.
std::optional<int> firmware_major(std::string_view version);

/// The form products are compared in (they match case-insensitively): upper case.
std::string product_key(std::string_view product);

/// True for well-formed UTF-8 (no overlongs, surrogates or code points above U+10FFFF).
bool valid_utf8(std::string_view s);
/// True if `s` holds a control character (below U+0020, or DEL).
bool has_control(std::string_view s);

} // namespace mpk::models
