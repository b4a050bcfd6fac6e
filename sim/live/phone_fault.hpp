#pragma once
/// A live phone that misbehaves on its web server (control: `POST /control/phone/fault?hwId=&mode=`):
/// the product's phone session must report it to the watchers of that phone and nobody else.

#include <optional>
#include <string_view>

namespace mpk::sim {

enum class phone_fault {
  none,     ///< the phone answers normally
  garbage,  ///< every answer is `200` with the usual content type and a body of random bytes
  silent,   ///< requests are taken but never answered (the Devices App's passthrough times out)
};

inline std::optional<phone_fault> parse_phone_fault(std::string_view s) {
  if (s == "none") return phone_fault::none;
  if (s == "garbage") return phone_fault::garbage;
  if (s == "silent") return phone_fault::silent;
  return std::nullopt;
}

inline const char* to_string(phone_fault f) {
  switch (f) {
    case phone_fault::none: return "none";
    case phone_fault::garbage: return "garbage";
    case phone_fault::silent: return "silent";
  }
  return "none";
}

} // namespace mpk::sim
