#pragma once
/// Writes a framebuffer as a Windows BMP the way a phone's lcd_dump.bmp could look:
/// BITMAPFILEHEADER + BITMAPINFOHEADER, then
///   1 bpp  : 2-entry palette (black, white), pixels thresholded on luminance
///   4 bpp  : 16 grey levels palette
///   8 bpp  : 256 grey levels palette
///   16 bpp : BI_BITFIELDS RGB565 (masks F800 07E0 001F after the header)
///   24 bpp : BGR
///   32 bpp : BGRX (BI_RGB, X = 0)
/// Rows are padded to 4 bytes and stored bottom-up unless `top_down` (negative height).

#include "sim/phone/framebuffer.hpp"

#include <optional>
#include <string>

namespace mpk::sim_phone {

struct bmp_options {
  int bpp = 24;
  bool top_down = false;
};

/// The BMP bytes; nullopt for an unsupported depth or an empty framebuffer.
std::optional<std::string> write_bmp(const framebuffer& fb, const bmp_options& opt);

/// Luminance 0..255 of a colour (ITU-R BT.601 weights, integer maths).
int luminance(rgb c);

} // namespace mpk::sim_phone
