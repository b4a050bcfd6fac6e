// Fuzz target: a screen dump (lcd_dump.bmp) as a phone, or anything answering in its place,
// sends it. A decoded image must be within the advertised bounds.

#include "services/phone-session/lcd/bmp_decoder.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto r = mpk::lcd::decode_bmp(std::string_view(reinterpret_cast<const char*>(data), size));
  if (auto* err = std::get_if<mpk::lcd::decode_error>(&r)) {
    if (err->text.empty()) std::abort();
    return 0;
  }
  const auto& img = std::get<mpk::lcd::image>(r);
  if (!img.valid() || img.width > mpk::lcd::max_bmp_side || img.height > mpk::lcd::max_bmp_side) std::abort();
  return 0;
}
