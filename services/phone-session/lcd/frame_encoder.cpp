#include "services/phone-session/lcd/frame_encoder.hpp"

#include "services/phone-session/lcd/diff.hpp"

namespace mpk::lcd {

frame encode_frame(const image* previous, const image& next, png_options options) {
  const rect whole = full_rect(next);
  auto full = [&] { return frame{true, whole, encode_png(next, whole, options)}; };
  if (!previous || previous->width != next.width || previous->height != next.height) return full();
  rect dirty = diff(*previous, next);
  if (dirty.empty()) return frame{false, rect{}, {}};
  auto dirty_area = static_cast<std::uint64_t>(dirty.w) * dirty.h;
  auto total_area = static_cast<std::uint64_t>(next.width) * next.height;
  if (dirty_area * 2 > total_area) return full();
  return frame{false, dirty, encode_png(next, dirty, options)};
}

} // namespace mpk::lcd
