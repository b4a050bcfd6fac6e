#include "sim/phone/bmp_writer.hpp"

#include <algorithm>
#include <cstdint>

namespace mpk::sim_phone {

namespace {

void put16(std::string& s, std::uint16_t v) {
  s.push_back(static_cast<char>(v & 0xFF));
  s.push_back(static_cast<char>(v >> 8));
}

void put32(std::string& s, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

} // namespace

int luminance(rgb c) {
  int r = (c >> 16) & 0xFF, g = (c >> 8) & 0xFF, b = c & 0xFF;
  return (r * 299 + g * 587 + b * 114 + 500) / 1000;
}

std::optional<std::string> write_bmp(const framebuffer& fb, const bmp_options& opt) {
  const int bpp = opt.bpp;
  if (bpp != 1 && bpp != 4 && bpp != 8 && bpp != 16 && bpp != 24 && bpp != 32) return std::nullopt;
  const int w = fb.width(), h = fb.height();
  if (w <= 0 || h <= 0) return std::nullopt;

  const std::uint32_t palette_entries = bpp <= 8 ? (1u << bpp) : 0;
  const std::uint32_t masks_bytes = bpp == 16 ? 12 : 0;
  const std::uint32_t row_bytes = ((static_cast<std::uint32_t>(w) * bpp + 31) / 32) * 4;
  const std::uint32_t image_bytes = row_bytes * static_cast<std::uint32_t>(h);
  const std::uint32_t offset = 14 + 40 + masks_bytes + palette_entries * 4;

  std::string out;
  out.reserve(offset + image_bytes);
  // BITMAPFILEHEADER
  out += "BM";
  put32(out, offset + image_bytes);
  put32(out, 0);
  put32(out, offset);
  // BITMAPINFOHEADER
  put32(out, 40);
  put32(out, static_cast<std::uint32_t>(w));
  put32(out, static_cast<std::uint32_t>(opt.top_down ? -h : h));
  put16(out, 1);
  put16(out, static_cast<std::uint16_t>(bpp));
  put32(out, bpp == 16 ? 3 /* BI_BITFIELDS */ : 0 /* BI_RGB */);
  put32(out, image_bytes);
  put32(out, 2835); // 72 dpi
  put32(out, 2835);
  put32(out, palette_entries);
  put32(out, 0);
  if (bpp == 16) {
    put32(out, 0xF800);
    put32(out, 0x07E0);
    put32(out, 0x001F);
  }
  for (std::uint32_t i = 0; i < palette_entries; ++i) {
    // Grey ramp: index 0 black .. last white (for 1 bpp: black, white).
    auto v = static_cast<char>(palette_entries == 1 ? 0 : i * 255 / (palette_entries - 1));
    out.push_back(v);
    out.push_back(v);
    out.push_back(v);
    out.push_back(0);
  }

  std::string row(row_bytes, '\0');
  for (int r = 0; r < h; ++r) {
    const int y = opt.top_down ? r : h - 1 - r;
    std::fill(row.begin(), row.end(), '\0');
    for (int x = 0; x < w; ++x) {
      rgb c = fb.pixel(x, y);
      switch (bpp) {
        case 1:
          if (luminance(c) >= 128) row[x / 8] = static_cast<char>(row[x / 8] | (0x80 >> (x % 8)));
          break;
        case 4: {
          int idx = (luminance(c) * 15 + 127) / 255;
          row[x / 2] = static_cast<char>(row[x / 2] | (x % 2 ? idx : idx << 4));
          break;
        }
        case 8: row[x] = static_cast<char>(luminance(c)); break;
        case 16: {
          std::uint16_t v = static_cast<std::uint16_t>(((c >> 8) & 0xF800) | ((c >> 5) & 0x07E0) | ((c >> 3) & 0x001F));
          row[2 * x] = static_cast<char>(v & 0xFF);
          row[2 * x + 1] = static_cast<char>(v >> 8);
          break;
        }
        case 24:
        case 32: {
          const int n = bpp / 8;
          row[n * x] = static_cast<char>(c & 0xFF);
          row[n * x + 1] = static_cast<char>((c >> 8) & 0xFF);
          row[n * x + 2] = static_cast<char>((c >> 16) & 0xFF);
          break;
        }
      }
    }
    out += row;
  }
  return out;
}

} // namespace mpk::sim_phone
