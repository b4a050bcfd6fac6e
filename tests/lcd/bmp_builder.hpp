#pragma once
// Test helper: writes BMP files of any layout from a pixel function, so the decoder is checked
// against files built independently of it.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace mpk::lcd::test {

struct rgb {
  std::uint8_t r = 0, g = 0, b = 0;
  bool operator==(const rgb& o) const { return r == o.r && g == o.g && b == o.b; }
};

/// What to write. `raw(x, y)` gives the stored value of a pixel: a palette index for 1/4/8 bpp,
/// a packed word for 16/32 bpp, 0xRRGGBB for 24 bpp.
struct bmp_spec {
  std::uint32_t header_size = 40; // 12, 40, 52, 56, 108 or 124
  std::uint16_t bpp = 24;
  std::int32_t width = 0;
  std::int32_t height = 0; // the image height; stored negated when top_down
  bool top_down = false;
  std::uint32_t compression = 0;
  std::vector<std::uint32_t> masks; // written after a 40-byte header, or inside a larger one
  std::vector<rgb> palette;
  std::uint32_t colors_used = 0;
  std::function<std::uint32_t(int x, int y)> raw;
};

inline void put_u16(std::string& s, std::uint32_t v) {
  s.push_back(static_cast<char>(v & 0xFF));
  s.push_back(static_cast<char>((v >> 8) & 0xFF));
}
inline void put_u32(std::string& s, std::uint32_t v) {
  put_u16(s, v & 0xFFFF);
  put_u16(s, v >> 16);
}

inline std::string build_bmp(const bmp_spec& spec) {
  std::string dib;
  put_u32(dib, spec.header_size);
  if (spec.header_size == 12) {
    put_u16(dib, static_cast<std::uint32_t>(spec.width));
    put_u16(dib, static_cast<std::uint32_t>(spec.height));
    put_u16(dib, 1);
    put_u16(dib, spec.bpp);
  } else {
    put_u32(dib, static_cast<std::uint32_t>(spec.width));
    put_u32(dib, static_cast<std::uint32_t>(spec.top_down ? -spec.height : spec.height));
    put_u16(dib, 1);
    put_u16(dib, spec.bpp);
    put_u32(dib, spec.compression);
    put_u32(dib, 0); // image size: may be 0 for BI_RGB
    put_u32(dib, 2835);
    put_u32(dib, 2835);
    put_u32(dib, spec.colors_used);
    put_u32(dib, 0);
    if (spec.header_size > 40) {
      for (std::size_t i = 0; i < 4; ++i) put_u32(dib, i < spec.masks.size() ? spec.masks[i] : 0);
    }
    dib.resize(spec.header_size, '\0'); // colour space fields of V4/V5 stay zero
  }
  if (spec.header_size == 40)
    for (auto m : spec.masks) put_u32(dib, m);
  for (const auto& c : spec.palette) {
    dib.push_back(static_cast<char>(c.b));
    dib.push_back(static_cast<char>(c.g));
    dib.push_back(static_cast<char>(c.r));
    if (spec.header_size != 12) dib.push_back('\0');
  }

  std::size_t stride = (static_cast<std::size_t>(spec.width) * spec.bpp + 31) / 32 * 4;
  std::string pixels(stride * static_cast<std::size_t>(spec.height), '\0');
  for (int y = 0; y < spec.height; ++y) {
    int stored_row = spec.top_down ? y : spec.height - 1 - y;
    char* row = pixels.data() + static_cast<std::size_t>(stored_row) * stride;
    for (int x = 0; x < spec.width; ++x) {
      std::uint32_t v = spec.raw(x, y);
      switch (spec.bpp) {
        case 1:
        case 4:
        case 8: {
          int bit = x * spec.bpp;
          row[bit / 8] = static_cast<char>(static_cast<unsigned char>(row[bit / 8]) | (v << (8 - spec.bpp - bit % 8)));
          break;
        }
        case 16:
          row[x * 2] = static_cast<char>(v & 0xFF);
          row[x * 2 + 1] = static_cast<char>((v >> 8) & 0xFF);
          break;
        case 24:
          row[x * 3] = static_cast<char>(v & 0xFF);
          row[x * 3 + 1] = static_cast<char>((v >> 8) & 0xFF);
          row[x * 3 + 2] = static_cast<char>((v >> 16) & 0xFF);
          break;
        case 32:
          for (int i = 0; i < 4; ++i) row[x * 4 + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
          break;
      }
    }
  }

  std::string file = "BM";
  put_u32(file, static_cast<std::uint32_t>(14 + dib.size() + pixels.size()));
  put_u32(file, 0);
  put_u32(file, static_cast<std::uint32_t>(14 + dib.size()));
  return file + dib + pixels;
}

} // namespace mpk::lcd::test
