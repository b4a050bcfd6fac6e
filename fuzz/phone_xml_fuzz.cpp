// Fuzz target: what a phone answers on its `registrations`, `functionKeys` and `info` wire paths
// (a phone may answer garbage). Parsed slots are bounded, and a parsed answer formats and parses again.

#include "common/models/device_info.hpp"
#include "common/models/function_keys.hpp"
#include "common/models/registrations.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {
/// XML cannot carry control characters; the parsers pass them through, so no round trip then.
bool printable(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return false;
  return true;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view xml(reinterpret_cast<const char*>(data), size);
  std::string err;
  const bool round_trip = printable(xml);
  if (auto regs = mpk::models::parse_registrations_xml(xml, err)) {
    if (regs->size() > 64) std::abort();
    for (const auto& r : *regs) (void)mpk::models::to_string(mpk::models::classify(r));
    std::string err2;
    auto again = mpk::models::parse_registrations_xml(mpk::models::format_registrations_xml(*regs), err2);
    if (round_trip && (!again || again->size() != regs->size())) std::abort();
  } else if (err.empty()) {
    std::abort();
  }
  // Another answer form (a candidate's `format`): other names, 1-based ids, any root.
  mpk::models::registrations_format other;
  other.root = "";
  other.item = "registration";
  other.id = "ID";
  other.id_base = 1;
  other.up = {"up", "registered"};
  err.clear();
  if (auto regs = mpk::models::parse_registrations_xml(xml, other, err)) {
    if (regs->size() > 64) std::abort();
    std::string err2;
    auto again = mpk::models::parse_registrations_xml(mpk::models::format_registrations_xml(*regs, other), other, err2);
    if (round_trip && (!again || again->size() != regs->size())) std::abort();
  } else if (err.empty()) {
    std::abort();
  }
  // Function keys, in our form and in another (0-based numbers, other LED words).
  mpk::models::function_keys_format keys_other;
  keys_other.root = "";
  keys_other.item = "fkey";
  keys_other.n_base = 0;
  keys_other.on = {"1", "lit"};
  for (const auto& f : {mpk::models::function_keys_format{}, keys_other}) {
    err.clear();
    if (auto keys = mpk::models::parse_function_keys_xml(xml, f, err)) {
      if (keys->size() > 128) std::abort();
      for (const auto& k : *keys)
        if (k.n < 1 || k.label.size() > 256) std::abort();
      std::string err2;
      auto again = mpk::models::parse_function_keys_xml(mpk::models::format_function_keys_xml(*keys, f), f, err2);
      if (round_trip && (!again || again->size() != keys->size())) std::abort();
    } else if (err.empty()) {
      std::abort();
    }
  }
  err.clear();
  if (auto info = mpk::models::parse_info_xml(xml, err)) {
    std::string err2;
    auto again = mpk::models::parse_info_xml(mpk::models::format_info_xml(*info), err2);
    if (round_trip && (!again || again->product != info->product || again->hw_id != info->hw_id)) std::abort();
  } else if (err.empty()) {
    std::abort();
  }
  return 0;
}
