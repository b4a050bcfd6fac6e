#include "services/phone-session/lcd/png_encoder.hpp"

#include <png.h>

#include <algorithm>
#include <vector>

namespace mpk::lcd {
namespace {

void on_write(png_structp png, png_bytep data, png_size_t length) {
  auto* out = static_cast<std::string*>(png_get_io_ptr(png));
  out->append(reinterpret_cast<const char*>(data), length);
}

void on_flush(png_structp) {}

[[noreturn]] void on_error(png_structp png, png_const_charp) { png_longjmp(png, 1); }

void on_warning(png_structp, png_const_charp) {}

/// The libpng calls. libpng reports errors by longjmp, so this frame holds no object with a
/// destructor: the caller owns the output string and the row pointers.
bool write_png(png_structp png, png_infop info, std::uint32_t width, std::uint32_t height, png_bytepp rows,
               const png_options& options, std::string* out) {
  if (setjmp(png_jmpbuf(png))) return false;
  png_set_write_fn(png, out, on_write, on_flush);
  png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_set_compression_level(png, std::clamp(options.zlib_level, 0, 9));
  png_set_filter(png, PNG_FILTER_TYPE_BASE, options.filter_none ? PNG_FILTER_NONE : PNG_ALL_FILTERS);
  png_write_info(png, info);
  png_write_image(png, rows);
  png_write_end(png, nullptr);
  return true;
}

} // namespace

std::string encode_png(const image& img, const rect& r, png_options options) {
  if (!img.valid() || r.x >= img.width || r.y >= img.height) return {};
  std::uint32_t w = std::min(r.w, img.width - r.x);
  std::uint32_t h = std::min(r.h, img.height - r.y);
  if (w == 0 || h == 0) return {};

  // libpng takes non-const row pointers but does not write through them without transforms.
  std::vector<png_bytep> rows(h);
  auto* base = const_cast<std::uint8_t*>(img.rgb.data());
  for (std::uint32_t i = 0; i < h; ++i) rows[i] = base + (static_cast<std::size_t>(r.y + i) * img.width + r.x) * 3;

  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, on_error, on_warning);
  if (!png) return {};
  png_infop info = png_create_info_struct(png);
  if (!info) {
    png_destroy_write_struct(&png, nullptr);
    return {};
  }
  std::string out;
  out.reserve(static_cast<std::size_t>(w) * h / 4 + 128);
  bool ok = write_png(png, info, w, h, rows.data(), options, &out);
  png_destroy_write_struct(&png, &info);
  if (!ok) out.clear();
  return out;
}

} // namespace mpk::lcd
