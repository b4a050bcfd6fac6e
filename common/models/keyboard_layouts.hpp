#pragma once
/// PC keyboard layouts (keyboards.json): which character a browser key press typed, so the
/// admin's text reaches the phone as meant whatever layout the admin has chosen.

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mpk::models {

class keyboard_layouts {
public:
  /// Loads `<dir>/keyboards.json`; nullopt and a message in err on any problem.
  static std::optional<keyboard_layouts> load(const std::string& dir, std::string& err);

  /// Text typed by KeyboardEvent.code `code` on `layout` (AltGr wins over Shift).
  /// nullopt for an unknown layout or code; an empty string when the key types nothing
  /// in that state (e.g. AltGr on the US layout).
  std::optional<std::string> resolve(std::string_view layout, std::string_view code, bool shift, bool altgr) const;

  /// Layout ids in file order ("qwerty", "qwertz", "azerty").
  std::vector<std::string> names() const;

  /// Display name of a layout ("German (QWERTZ)"); empty for an unknown layout.
  std::string title(std::string_view layout) const;

  /// Rows of the on-screen keyboard, as codes.
  const std::vector<std::vector<std::string>>& rows() const { return rows_; }

private:
  struct key {
    std::string code;
    std::array<std::string, 3> chars; ///< normal, shift, altgr
  };
  struct layout {
    std::string id, title;
    std::vector<key> keys;
  };
  std::vector<layout> layouts_;
  std::vector<std::vector<std::string>> rows_;
};

} // namespace mpk::models
