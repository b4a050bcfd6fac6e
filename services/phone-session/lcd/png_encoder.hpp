#pragma once
/// PNG encoding of LCD frames for the browser (see docs/lcd-codec.md for the chosen settings).

#include "services/phone-session/lcd/image.hpp"

#include <string>

namespace mpk::lcd {

/// Defaults favour speed: phone screens are flat colours and text, where zlib level 1 without
/// PNG filters is several times faster than level 6 + adaptive filters at a similar size.
struct png_options {
  int zlib_level = 1;      ///< 0..9 (clamped)
  bool filter_none = true; ///< false: libpng's adaptive filter choice
};

/// PNG (RGB, 8 bit) of rectangle `r` of `img` (the whole image when r is the full rect).
/// `r` is clipped to the image; an empty result rect or an invalid image gives "".
std::string encode_png(const image& img, const rect& r, png_options options = {});

} // namespace mpk::lcd
