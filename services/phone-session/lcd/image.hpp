#pragma once
/// The decoded LCD picture and rectangles on it.

#include <cstdint>
#include <vector>

namespace mpk::lcd {

/// 8-bit RGB, top-down rows, no padding: pixel (x, y) starts at rgb[(y * width + x) * 3].
struct image {
  std::uint32_t width = 0, height = 0;
  std::vector<std::uint8_t> rgb;

  /// True when the pixel buffer matches the size (every function checks this before use).
  bool valid() const { return rgb.size() == static_cast<std::uint64_t>(width) * height * 3; }
};

/// A pixel rectangle: columns [x, x + w), rows [y, y + h).
struct rect {
  std::uint32_t x = 0, y = 0, w = 0, h = 0;
  bool empty() const { return w == 0 || h == 0; }
  friend bool operator==(const rect& a, const rect& b) { return a.x == b.x && a.y == b.y && a.w == b.w && a.h == b.h; }
  friend bool operator!=(const rect& a, const rect& b) { return !(a == b); }
};

/// The whole area of `img`.
inline rect full_rect(const image& img) { return rect{0, 0, img.width, img.height}; }

} // namespace mpk::lcd
