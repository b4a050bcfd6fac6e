#include "sim/phone/framebuffer.hpp"

#include "sim/phone/font5x7.hpp"

#include <algorithm>

namespace mpk::sim_phone {

framebuffer::framebuffer(int width, int height, rgb fill)
    : width_(std::max(width, 0)),
      height_(std::max(height, 0)),
      px_(static_cast<size_t>(width_) * static_cast<size_t>(height_), fill) {}

rgb framebuffer::pixel(int x, int y) const {
  if (x < 0 || y < 0 || x >= width_ || y >= height_) return 0;
  return px_[static_cast<size_t>(y) * width_ + x];
}

void framebuffer::set_pixel(int x, int y, rgb c) {
  if (x < 0 || y < 0 || x >= width_ || y >= height_) return;
  px_[static_cast<size_t>(y) * width_ + x] = c;
}

void framebuffer::fill_rect(int x, int y, int w, int h, rgb c) {
  int x0 = std::max(x, 0), y0 = std::max(y, 0);
  int x1 = std::min(x + w, width_), y1 = std::min(y + h, height_);
  for (int yy = y0; yy < y1; ++yy)
    std::fill(px_.begin() + static_cast<long>(yy) * width_ + x0, px_.begin() + static_cast<long>(yy) * width_ + x1, c);
}

void framebuffer::frame_rect(int x, int y, int w, int h, rgb c) {
  fill_rect(x, y, w, 1, c);
  fill_rect(x, y + h - 1, w, 1, c);
  fill_rect(x, y, 1, h, c);
  fill_rect(x + w - 1, y, 1, h, c);
}

int framebuffer::draw_text(int x, int y, std::string_view utf8, rgb c, int scale) {
  scale = std::max(scale, 1);
  for (char32_t cp : decode_utf8(utf8)) {
    if (x >= width_) break;
    const std::uint8_t* g = font5x7_glyph(fold_to_ascii(cp));
    for (int row = 0; row < glyph_height; ++row)
      for (int col = 0; col < glyph_width; ++col)
        if (g[row] & (1u << (glyph_width - 1 - col))) fill_rect(x + col * scale, y + row * scale, scale, scale, c);
    x += cell_width * scale;
  }
  return x;
}

std::u32string decode_utf8(std::string_view s) {
  std::u32string out;
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
    if (n < 0 || i + static_cast<size_t>(n) >= s.size()) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    char32_t cp = n == 0 ? c : n == 1 ? (c & 0x1F) : n == 2 ? (c & 0x0F) : (c & 0x07);
    bool ok = true;
    for (int k = 1; k <= n; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (!ok) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    out.push_back(cp);
    i += n + 1;
  }
  return out;
}

char32_t fold_to_ascii(char32_t c) {
  if (c >= 0x20 && c < 0x7F) return c;
  // U+00C0..U+00FF: base letters of the accented Latin-1 range ('?' where there is none).
  static const char latin1[] =
    "AAAAAAACEEEEIIII"
    "DNOOOOOxOUUUUYTs"
    "aaaaaaaceeeeiiii"
    "dnooooo/ouuuuyty";
  if (c >= 0xC0 && c <= 0xFF) return static_cast<char32_t>(latin1[c - 0xC0]);
  if (c == 0x20AC) return 'E'; // euro sign
  return '?';
}

} // namespace mpk::sim_phone
