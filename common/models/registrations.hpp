#pragma once
/// Registration slots of a phone as its `registrations` wire path reports them, and the
/// colour a registration key gets in the web app (phones.md §A.7 mapping, docs/models.md).
/// XML form [inf]:
///   <regs><reg id="0" state="up" enable="on" prot="SIP" e164="101" h323="Alice"
///              gk-addr="pbx.example.com" error=""/>...</regs>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mpk::models {

struct registration {
  int id = 0;             ///< 0-based slot (User-1 is 0)
  std::string state;      ///< "up", "timeout", "rejected", "unauthorized", "down"
  std::string enable;     ///< "on" / "off"
  std::string protocol;   ///< "SIP", "H323" or empty
  std::string number;     ///< e164
  std::string name;       ///< h323 name
  std::string gatekeeper; ///< gk-addr
  std::string error;      ///< last error text, may be empty
  bool configured = false; ///< a slot without protocol or address is not configured
};

enum class reg_color { registered, not_configured, disabled, failed };

/// green = registered, dark grey = not configured, orange = disabled, red = failed.
reg_color classify(const registration& r);

/// "registered", "not-configured", "disabled", "failed".
std::string_view to_string(reg_color c);

/// What the simulated phone serves. `configured` is not written: a reader derives it.
std::string format_registrations_xml(const std::vector<registration>& regs);

/// What the phone-session reads. Strict and bounded (at most 64 slots); unknown attributes
/// are ignored, a missing or duplicate id is an error.
std::optional<std::vector<registration>> parse_registrations_xml(std::string_view xml,
                                                                 std::string& err);

} // namespace mpk::models
