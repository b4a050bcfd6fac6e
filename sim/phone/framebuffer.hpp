#pragma once
/// An RGB framebuffer at the phone's native resolution, with the few drawing primitives
/// the LCD renderer needs. Every write is clipped, so no caller can draw out of bounds.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mpk::sim_phone {

using rgb = std::uint32_t; ///< 0xRRGGBB

class framebuffer {
public:
  framebuffer(int width, int height, rgb fill = 0xFFFFFF);

  int width() const { return width_; }
  int height() const { return height_; }

  rgb pixel(int x, int y) const; ///< 0 outside the buffer
  void set_pixel(int x, int y, rgb c);
  void fill_rect(int x, int y, int w, int h, rgb c);
  void frame_rect(int x, int y, int w, int h, rgb c);

  /// Draws UTF-8 text with the 5x7 font scaled by `scale`; returns the x after the text.
  /// Accented Latin letters are drawn as their base letter, other characters as '?'.
  int draw_text(int x, int y, std::string_view utf8, rgb c, int scale = 1);

  /// Width in pixels of `chars` characters at `scale`.
  static int text_width(int chars, int scale) { return chars * 6 * scale; }

private:
  int width_, height_;
  std::vector<rgb> px_;
};

/// Decodes UTF-8 into code points; broken sequences become U+FFFD.
std::u32string decode_utf8(std::string_view s);

/// Base ASCII letter of an accented Latin-1 letter (U+00C0..U+00FF), the character itself
/// for ASCII, '?' otherwise.
char32_t fold_to_ascii(char32_t c);

} // namespace mpk::sim_phone
