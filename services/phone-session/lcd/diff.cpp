#include "services/phone-session/lcd/diff.hpp"

#include <algorithm>
#include <cstring>

namespace mpk::lcd {

rect diff(const image& previous, const image& next) {
  if (previous.width != next.width || previous.height != next.height || !previous.valid() || !next.valid())
    return full_rect(next);

  const std::size_t row_bytes = static_cast<std::size_t>(next.width) * 3;
  std::uint32_t min_x = next.width, max_x = 0, min_y = next.height, max_y = 0;
  bool any = false;
  for (std::uint32_t y = 0; y < next.height; ++y) {
    const std::uint8_t* a = previous.rgb.data() + y * row_bytes;
    const std::uint8_t* b = next.rgb.data() + y * row_bytes;
    // Most rows of a phone screen do not change: one memcmp settles them.
    if (std::memcmp(a, b, row_bytes) == 0) continue;
    std::uint32_t first = 0;
    while (std::memcmp(a + first * 3, b + first * 3, 3) == 0) ++first;
    std::uint32_t last = next.width - 1;
    while (std::memcmp(a + last * 3, b + last * 3, 3) == 0) --last;
    min_x = std::min(min_x, first);
    max_x = std::max(max_x, last);
    if (!any) min_y = y;
    max_y = y;
    any = true;
  }
  if (!any) return rect{};
  return rect{min_x, min_y, max_x - min_x + 1, max_y - min_y + 1};
}

} // namespace mpk::lcd
