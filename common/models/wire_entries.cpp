#include "common/models/wire_entries.hpp"

namespace mpk::models {

const std::vector<wire_entry_rule>& wire_entry_rules() {
  static const std::vector<wire_entry_rule> rules = {
    {"lcd", {}, {}, false, true, {}, "the LCD screen dump (BMP)"},
    {"registrations",
     {},
     {},
     false,
     true,
     {"root", "item", "id", "idBase", "state", "up", "enable", "off", "protocol", "number", "name", "gatekeeper",
      "error"},
     "registration slots and their state (XML)"},
    {"functionKeys",
     {},
     {},
     false,
     true,
     {"root", "item", "n", "nBase", "label", "led", "on", "blink", "flash", "colour"},
     "function keys: the label each shows and its LED (XML)"},
    {"info",
     {},
     {},
     false,
     true,
     {"element", "product", "version", "hwId", "name", "ip", "number"},
     "device facts (XML)"},
    {"key", {"code", "holdMs"}, {"code"}, true, true, {}, "press a key"},
    {"touch", {"x", "y", "holdMs"}, {"x", "y"}, true, true, {}, "touch the screen"},
    {"text", {"text"}, {"text"}, true, true, {}, "type text"},
    // The `/!` command line form is verified; sending a command twice to find its form is not an option.
    {"command", {"command"}, {"command"}, true, false, {}, "a raw command line"},
  };
  return rules;
}

const wire_entry_rule* find_wire_rule(std::string_view name) {
  for (const auto& r : wire_entry_rules())
    if (r.name == name) return &r;
  return nullptr;
}

} // namespace mpk::models
