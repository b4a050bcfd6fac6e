#include "tests/phone_session/png_check.hpp"

#include "services/phone-session/src/frame_wire.hpp"

#include <png.h>

namespace mpk::test {

std::optional<lcd::image> decode_png(std::string_view bytes) {
  png_image p{};
  p.version = PNG_IMAGE_VERSION;
  if (png_image_begin_read_from_memory(&p, bytes.data(), bytes.size()) == 0) return std::nullopt;
  p.format = PNG_FORMAT_RGB;
  lcd::image out;
  out.width = p.width;
  out.height = p.height;
  out.rgb.resize(PNG_IMAGE_SIZE(p));
  if (png_image_finish_read(&p, nullptr, out.rgb.data(), 0, nullptr) == 0) {
    png_image_free(&p);
    return std::nullopt;
  }
  return out;
}

bool paint_frame(lcd::image& canvas, std::string_view frame_bytes) {
  auto f = session::parse_lcd_frame(frame_bytes);
  if (!f) return false;
  auto png = decode_png(f->png);
  if (!png || png->width != f->w || png->height != f->h) return false;
  if (f->codec == session::frame_codec::png_full) {
    if (f->x != 0 || f->y != 0 || f->w != f->width || f->h != f->height) return false;
    canvas = std::move(*png);
    return true;
  }
  if (canvas.width != f->width || canvas.height != f->height || !canvas.valid()) return false;
  if (static_cast<std::uint32_t>(f->x) + f->w > canvas.width || static_cast<std::uint32_t>(f->y) + f->h > canvas.height)
    return false;
  for (std::uint32_t row = 0; row < f->h; ++row) {
    auto* src = png->rgb.data() + static_cast<std::size_t>(row) * f->w * 3;
    auto* dst = canvas.rgb.data() + ((static_cast<std::size_t>(f->y) + row) * canvas.width + f->x) * 3;
    std::copy(src, src + static_cast<std::size_t>(f->w) * 3, dst);
  }
  return true;
}

} // namespace mpk::test
