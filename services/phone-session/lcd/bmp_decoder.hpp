#pragma once
/// Decoder of the phone's screen dump (lcd_dump.bmp). The colour depth of real phones is not
/// known (docs/spec/phones.md §A.5), so every uncompressed layout the BMP format allows is accepted.

#include "services/phone-session/lcd/image.hpp"

#include <string>
#include <string_view>
#include <variant>

namespace mpk::lcd {

struct decode_error {
  std::string text;
};

/// Largest accepted width and height: far above any phone screen, small enough to bound memory.
inline constexpr std::uint32_t max_bmp_side = 4096;

/// Decodes any BMP the format allows: BITMAPINFOHEADER (40), V2/V3 (52/56) and V4/V5 headers
/// (108/124), and BITMAPCOREHEADER (12); 1/4/8 bpp palettes, 16 bpp (BI_RGB 555 and
/// BI_BITFIELDS with any contiguous masks, e.g. RGB565), 24, 32 (BI_RGB and BI_BITFIELDS /
/// BI_ALPHABITFIELDS; alpha is dropped); bottom-up and top-down (negative height); rows padded
/// to 4 bytes. RLE and embedded JPEG/PNG are refused with a clear error.
/// Bounded: width/height up to max_bmp_side, all offsets checked against the buffer.
/// Palette indexes beyond the palette decode as black, as in common viewers.
std::variant<image, decode_error> decode_bmp(std::string_view bytes);

/// The same result as decode_bmp(bytes), for the next dump of a screen: `previous` is the
/// picture decoded from `previous_bytes`. When both dumps have the same headers, the picture
/// starts as a copy of `previous` and only the rows whose raw bytes differ are decoded — a clock
/// tick touches a few rows of 240. Otherwise (no previous picture, another size or format) a
/// full decode.
std::variant<image, decode_error> decode_bmp_update(std::string_view bytes, std::string_view previous_bytes,
                                                    const image* previous);

} // namespace mpk::lcd
