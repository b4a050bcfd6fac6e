#pragma once
/// How a simulated Devices instance answers GetDevices: normally, or with one of the faults a
/// broken or overloaded Devices App shows (control: `POST /control/devices/fault?list=`). The
/// product must keep its last complete list through every one of them.

#include <optional>
#include <string_view>

namespace mpk::sim {

enum class list_fault {
  none,     ///< the list in chunks, `last:true` on the final one
  garbage,  ///< one frame that starts like a GetDevicesResult but is not JSON, then silence
  half,     ///< the first half of the devices with `last:false`, then silence (session stays open)
  cut,      ///< the first half with `last:false`, then the websocket is closed (1011)
};

inline std::optional<list_fault> parse_list_fault(std::string_view s) {
  if (s == "none") return list_fault::none;
  if (s == "garbage") return list_fault::garbage;
  if (s == "half") return list_fault::half;
  if (s == "cut") return list_fault::cut;
  return std::nullopt;
}

inline const char* to_string(list_fault f) {
  switch (f) {
    case list_fault::none: return "none";
    case list_fault::garbage: return "garbage";
    case list_fault::half: return "half";
    case list_fault::cut: return "cut";
  }
  return "none";
}

} // namespace mpk::sim
