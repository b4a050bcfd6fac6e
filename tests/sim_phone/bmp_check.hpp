#pragma once
// A small independent BMP reader for the tests: header fields and single pixels, with
// every read bounds-checked so a broken writer fails the test instead of crashing it.

#include <cstdint>
#include <optional>
#include <string>

namespace bmp_check {

struct info {
  std::uint32_t file_size = 0, offset = 0, header_size = 0, compression = 0, colors = 0;
  std::int32_t width = 0, height = 0;
  std::uint16_t planes = 0, bpp = 0;
  std::uint32_t masks[3] = {0, 0, 0};
};

inline std::optional<std::uint32_t> u32(const std::string& s, std::size_t at) {
  if (at + 4 > s.size()) return std::nullopt;
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s[at + static_cast<std::size_t>(i)]);
  return v;
}

inline std::optional<std::uint16_t> u16(const std::string& s, std::size_t at) {
  if (at + 2 > s.size()) return std::nullopt;
  return static_cast<std::uint16_t>(static_cast<unsigned char>(s[at]) | (static_cast<unsigned char>(s[at + 1]) << 8));
}

inline std::optional<info> parse(const std::string& s) {
  if (s.size() < 54 || s[0] != 'B' || s[1] != 'M') return std::nullopt;
  info i;
  i.file_size = *u32(s, 2);
  i.offset = *u32(s, 10);
  i.header_size = *u32(s, 14);
  i.width = static_cast<std::int32_t>(*u32(s, 18));
  i.height = static_cast<std::int32_t>(*u32(s, 22));
  i.planes = *u16(s, 26);
  i.bpp = *u16(s, 28);
  i.compression = *u32(s, 30);
  i.colors = *u32(s, 46);
  if (i.compression == 3)
    for (int k = 0; k < 3; ++k) i.masks[k] = u32(s, 54 + 4 * static_cast<std::size_t>(k)).value_or(0);
  return i;
}

inline std::uint32_t row_bytes(const info& i) { return ((static_cast<std::uint32_t>(i.width) * i.bpp + 31) / 32) * 4; }

/// Pixel as 0xRRGGBB (palette looked up; RGB565 expanded by bit replication of the top bits).
inline std::optional<std::uint32_t> pixel(const std::string& s, const info& i, int x, int y) {
  const int h = i.height < 0 ? -i.height : i.height;
  if (x < 0 || y < 0 || x >= i.width || y >= h) return std::nullopt;
  const int row = i.height < 0 ? y : h - 1 - y;
  const std::size_t base = i.offset + static_cast<std::size_t>(row) * row_bytes(i);
  auto byte = [&](std::size_t at) -> std::optional<unsigned> {
    if (at >= s.size()) return std::nullopt;
    return static_cast<unsigned char>(s[at]);
  };
  auto palette = [&](unsigned idx) -> std::optional<std::uint32_t> {
    if (idx >= i.colors) return std::nullopt;
    auto v = u32(s, 14 + i.header_size + 4 * idx);
    if (!v) return std::nullopt;
    return *v & 0xFFFFFF;
  };
  switch (i.bpp) {
    case 1: {
      auto b = byte(base + static_cast<std::size_t>(x / 8));
      if (!b) return std::nullopt;
      return palette((*b >> (7 - x % 8)) & 1);
    }
    case 4: {
      auto b = byte(base + static_cast<std::size_t>(x / 2));
      if (!b) return std::nullopt;
      return palette(x % 2 ? (*b & 15) : (*b >> 4));
    }
    case 8: {
      auto b = byte(base + static_cast<std::size_t>(x));
      if (!b) return std::nullopt;
      return palette(*b);
    }
    case 16: {
      auto v = u16(s, base + 2 * static_cast<std::size_t>(x));
      if (!v) return std::nullopt;
      std::uint32_t r = (*v >> 11) & 31, g = (*v >> 5) & 63, b = *v & 31;
      return ((r << 3) << 16) | ((g << 2) << 8) | (b << 3);
    }
    case 24:
    case 32: {
      const std::size_t at = base + static_cast<std::size_t>(x) * (i.bpp / 8);
      auto b = byte(at), g = byte(at + 1), r = byte(at + 2);
      if (!b || !g || !r) return std::nullopt;
      return (*r << 16) | (*g << 8) | *b;
    }
  }
  return std::nullopt;
}

} // namespace bmp_check
