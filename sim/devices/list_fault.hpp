#pragma once
/// How a simulated Devices instance answers GetDevices: normally, or with one of the faults a
/// broken or overloaded Devices App shows (control: `POST /control/devices/fault?list=`). The
/// product must keep its last complete list through every one of them.

#include "common/base/named_values.hpp"

#include <optional>
#include <string_view>

namespace mpk::sim {

enum class list_fault {
  none,    ///< the list in chunks, `last:true` on the final one
  garbage, ///< one frame that starts like a GetDevicesResult but is not JSON, then silence
  half,    ///< the first half of the devices with `last:false`, then silence (session stays open)
  cut,     ///< the first half with `last:false`, then the websocket is closed (1011)
};

inline constexpr std::array list_fault_names{
  named_value<list_fault>{list_fault::none, "none"},
  named_value<list_fault>{list_fault::garbage, "garbage"},
  named_value<list_fault>{list_fault::half, "half"},
  named_value<list_fault>{list_fault::cut, "cut"},
};

inline std::optional<list_fault> parse_list_fault(std::string_view s) { return value_named(list_fault_names, s); }
inline const char* to_string(list_fault f) { return name_of(list_fault_names, f); }

} // namespace mpk::sim
