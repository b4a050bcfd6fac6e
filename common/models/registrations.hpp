#pragma once
/// Registration slots of a phone as its `registrations` wire path reports them, and the
/// colour a registration key gets in the web app (docs/spec/phones.md §A.7 mapping, docs/models.md).
/// XML form [inf]:
///   <regs><reg id="0" state="up" enable="on" prot="SIP" e164="101" h323="Alice"
///              gk-addr="pbx.example.com" error=""/>...</regs>

#include "common/models/model.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mpk::models {

struct registration {
  int id = 0;              ///< 0-based slot (User-1 is 0)
  std::string state;       ///< "up", "timeout", "rejected", "unauthorized", "down"
  std::string enable;      ///< "on" / "off"
  std::string protocol;    ///< "SIP", "H323" or empty
  std::string number;      ///< e164
  std::string name;        ///< h323 name
  std::string gatekeeper;  ///< gk-addr
  std::string error;       ///< last error text, may be empty
  bool configured = false; ///< a slot without protocol or address is not configured
};

enum class reg_color { registered, not_configured, disabled, failed };

/// green = registered, dark grey = not configured, orange = disabled, red = failed.
reg_color classify(const registration& r);

/// "registered", "not-configured", "disabled", "failed".
std::string_view to_string(reg_color c);

/// How a registrations answer names its parts: the `format` of a registrations candidate
/// (docs/wire-calibration.md) over these defaults, which are our [inf] form above. An empty
/// attribute name means the answer does not carry that field.
struct registrations_format {
  std::string root = "regs"; ///< the document element ("" = any name)
  std::string item = "reg";  ///< the element of one slot, a child of the root
  std::string id = "id", state = "state", enable = "enable", protocol = "prot", number = "e164", name = "h323",
              gatekeeper = "gk-addr", error = "error";
  int id_base = 0;                        ///< 1 when the answer counts User-1 as 1
  std::vector<std::string> up = {"up"};   ///< state values that mean registered (read as "up")
  std::vector<std::string> off = {"off"}; ///< enable values that mean disabled (read as "off")

  /// The defaults with a candidate's settings over them ("up"/"off" take comma lists).
  static registrations_format from(const wire_format& f);
};

/// What the simulated phone serves. `configured` is not written: a reader derives it.
std::string format_registrations_xml(const std::vector<registration>& regs, const registrations_format& f = {});

/// What the phone-session reads. Strict and bounded (at most 64 slots); unknown attributes
/// are ignored, a missing or duplicate id is an error.
std::optional<std::vector<registration>> parse_registrations_xml(std::string_view xml, std::string& err);
std::optional<std::vector<registration>> parse_registrations_xml(std::string_view xml, const registrations_format& f,
                                                                 std::string& err);

} // namespace mpk::models
