#pragma once
/// A live phone that misbehaves on its web server (control: `POST /control/phone/fault?hwId=&mode=`):
/// the product's phone session must report it to the watchers of that phone and nobody else.

#include "common/base/named_values.hpp"

#include <optional>
#include <string_view>

namespace mpk::sim {

enum class phone_fault {
  none,    ///< the phone answers normally
  garbage, ///< every answer is `200` with the usual content type and a body of random bytes
  silent,  ///< requests are taken but never answered (the Devices App's passthrough times out)
};

inline constexpr std::array phone_fault_names{
  named_value<phone_fault>{phone_fault::none, "none"},
  named_value<phone_fault>{phone_fault::garbage, "garbage"},
  named_value<phone_fault>{phone_fault::silent, "silent"},
};

inline std::optional<phone_fault> parse_phone_fault(std::string_view s) { return value_named(phone_fault_names, s); }
inline const char* to_string(phone_fault f) { return name_of(phone_fault_names, f); }

} // namespace mpk::sim
