#include "services/phone-session/lcd/bmp_decoder.hpp"

#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

namespace mpk::lcd {
namespace {

// -- layout constants (Microsoft BMP file format) -----------------------------------------

constexpr std::size_t file_header_size = 14;
constexpr std::uint32_t core_header_size = 12;
constexpr std::uint32_t info_header_size = 40;

enum compression : std::uint32_t {
  bi_rgb = 0,
  bi_rle8 = 1,
  bi_rle4 = 2,
  bi_bitfields = 3,
  bi_jpeg = 4,
  bi_png = 5,
  bi_alphabitfields = 6,
};

/// Little-endian reads that report, instead of performing, an out-of-bounds access.
class reader {
public:
  explicit reader(std::string_view bytes) : bytes_(bytes) {}
  bool has(std::uint64_t offset, std::uint64_t count) const {
    return offset <= bytes_.size() && count <= bytes_.size() - offset;
  }
  std::uint8_t u8(std::size_t at) const { return static_cast<std::uint8_t>(bytes_[at]); }
  std::uint16_t u16(std::size_t at) const { return static_cast<std::uint16_t>(u8(at) | (u8(at + 1) << 8)); }
  std::uint32_t u32(std::size_t at) const {
    return static_cast<std::uint32_t>(u16(at)) | (static_cast<std::uint32_t>(u16(at + 2)) << 16);
  }
  std::int32_t i32(std::size_t at) const { return static_cast<std::int32_t>(u32(at)); }
  const std::uint8_t* data(std::size_t at) const { return reinterpret_cast<const std::uint8_t*>(bytes_.data()) + at; }
  std::size_t size() const { return bytes_.size(); }

private:
  std::string_view bytes_;
};

/// One colour channel of a packed pixel: where its bits are and how to widen them to 8 bits.
struct channel {
  std::uint32_t mask = 0;
  unsigned shift = 0;
  unsigned bits = 0;
  std::array<std::uint8_t, 128> scale{}; ///< widening table for channels under 8 bits

  /// Fills `scale`: 0..2^bits-1 → 0..255 with rounding (5-bit 31 → 255, 16 → 132, as bit
  /// replication gives). A table: a division per pixel made 16 bpp decoding over twice as slow.
  void prepare() {
    if (bits == 0 || bits >= 8) return;
    std::uint32_t max = (1u << bits) - 1;
    for (std::uint32_t v = 0; v <= max; ++v) scale[v] = static_cast<std::uint8_t>((v * 255 + max / 2) / max);
  }

  std::uint8_t extract(std::uint32_t pixel) const {
    if (bits == 0) return 0;
    std::uint32_t v = (pixel & mask) >> shift;
    if (bits >= 8) return static_cast<std::uint8_t>(v >> (bits - 8));
    return scale[v];
  }
};

/// A contiguous mask → channel; nullopt-like false for a mask with holes.
bool make_channel(std::uint32_t mask, channel& out) {
  out = channel{};
  out.mask = mask;
  if (mask == 0) return true; // channel absent: reads as 0
  while (((mask >> out.shift) & 1u) == 0) ++out.shift;
  std::uint32_t v = mask >> out.shift;
  while (out.bits < 32 && ((v >> out.bits) & 1u) != 0) ++out.bits;
  // Contiguous iff nothing is set above the run.
  if (out.bits < 32 && (v >> out.bits) != 0) return false;
  out.prepare();
  return true;
}

struct rgb_color {
  std::uint8_t r = 0, g = 0, b = 0;
};

/// Everything the header says about the pixel layout.
struct layout {
  std::uint32_t header_size = 0;
  std::uint32_t width = 0, height = 0;
  bool top_down = false;
  std::uint16_t bpp = 0;
  std::uint32_t compression = bi_rgb;
  std::uint32_t colors_used = 0;
  std::array<std::uint32_t, 3> masks{}; ///< R, G, B
  std::size_t headers_end = 0;          ///< first byte after header (+ separate masks)
};

decode_error error(std::string text) { return decode_error{std::move(text)}; }

/// Reads the DIB header into `l`; returns an error text or empty.
std::string read_header(const reader& in, layout& l) {
  if (!in.has(0, file_header_size + 4)) return "too short for a BMP header";
  if (in.u8(0) != 'B' || in.u8(1) != 'M') return "not a BMP file (no 'BM' signature)";
  l.header_size = in.u32(file_header_size);
  switch (l.header_size) {
    case core_header_size:
    case info_header_size:
    case 52:
    case 56:
    case 108:
    case 124: break;
    default: return "unsupported BMP header size " + std::to_string(l.header_size);
  }
  if (!in.has(file_header_size, l.header_size)) return "truncated BMP header";
  l.headers_end = file_header_size + l.header_size;

  std::int64_t width = 0, height = 0;
  std::uint16_t planes = 0;
  if (l.header_size == core_header_size) {
    // BITMAPCOREHEADER: unsigned 16-bit sizes, always bottom-up, no compression.
    width = in.u16(18);
    height = in.u16(20);
    planes = in.u16(22);
    l.bpp = in.u16(24);
  } else {
    width = in.i32(18);
    height = in.i32(22);
    planes = in.u16(26);
    l.bpp = in.u16(28);
    l.compression = in.u32(30);
    l.colors_used = in.u32(46);
  }
  if (planes != 1) return "bad BMP: planes must be 1, got " + std::to_string(planes);
  if (height < 0) {
    l.top_down = true;
    height = -height; // int64: even INT32_MIN negates safely
  }
  if (width <= 0 || height <= 0) return "bad BMP size " + std::to_string(width) + "x" + std::to_string(height);
  if (width > max_bmp_side || height > max_bmp_side)
    return "BMP too large: " + std::to_string(width) + "x" + std::to_string(height) + " (limit " +
           std::to_string(max_bmp_side) + ")";
  l.width = static_cast<std::uint32_t>(width);
  l.height = static_cast<std::uint32_t>(height);
  return {};
}

/// Checks bpp and compression together and fills the channel masks.
std::string read_format(const reader& in, layout& l) {
  bool core = l.header_size == core_header_size;
  switch (l.compression) {
    case bi_rgb:
      switch (l.bpp) {
        case 1:
        case 4:
        case 8:
        case 24: return {};
        case 16:
        case 32:
          if (core) break;
          l.masks = l.bpp == 16 ? std::array<std::uint32_t, 3>{0x7C00, 0x03E0, 0x001F}
                                : std::array<std::uint32_t, 3>{0xFF0000, 0xFF00, 0xFF};
          return {};
        default: break;
      }
      return "unsupported bit depth " + std::to_string(l.bpp);
    case bi_bitfields:
    case bi_alphabitfields: {
      if (l.bpp != 16 && l.bpp != 32) return "bit fields need 16 or 32 bpp, got " + std::to_string(l.bpp);
      std::size_t at = file_header_size + info_header_size;
      if (l.header_size == info_header_size) {
        // Plain info header: the masks follow it (a fourth, alpha, with ALPHABITFIELDS).
        std::size_t count = l.compression == bi_alphabitfields ? 4 : 3;
        if (!in.has(at, count * 4)) return "truncated BMP colour masks";
        l.headers_end = at + count * 4;
      }
      for (std::size_t i = 0; i < 3; ++i) l.masks[i] = in.u32(at + i * 4);
      if (l.bpp == 16 && ((l.masks[0] | l.masks[1] | l.masks[2]) > 0xFFFF))
        return "16 bpp colour mask wider than 16 bits";
      return {};
    }
    case bi_rle8:
    case bi_rle4: return "RLE-compressed BMP is not supported";
    case bi_jpeg:
    case bi_png: return "BMP with embedded JPEG/PNG is not supported";
    default: return "unknown BMP compression " + std::to_string(l.compression);
  }
}

/// 1/4/8 bpp: pixels packed from the most significant bits of each byte, palette indices;
/// an index past the palette reads as black.
void palette_row(const std::uint8_t* src, std::uint8_t* dst, std::uint32_t width, std::uint16_t bpp,
                 const std::vector<rgb_color>& palette) {
  const rgb_color black{};
  const std::uint32_t mask = (1u << bpp) - 1;
  for (std::uint32_t x = 0; x < width; ++x, dst += 3) {
    std::uint32_t bit = x * bpp;
    std::uint32_t index = (src[bit / 8] >> (8 - bpp - bit % 8)) & mask;
    const auto& c = index < palette.size() ? palette[index] : black;
    dst[0] = c.r;
    dst[1] = c.g;
    dst[2] = c.b;
  }
}

/// 24 bpp: BGR → RGB. All pixels but the last move as one 4-byte load, a byte swap and one
/// 4-byte store (the fourth byte is overwritten by the next pixel), the last one byte by byte
/// so that neither the row nor the image is read or written past its end.
void bgr_row(const std::uint8_t* src, std::uint8_t* dst, std::uint32_t width) {
  if (width == 0) return;
  for (std::uint32_t x = 0; x + 1 < width; ++x, src += 3, dst += 3) {
    std::uint32_t v;
    std::memcpy(&v, src, 4);                       // B G R B' (little endian)
    std::uint32_t rgb = __builtin_bswap32(v) >> 8; // R G B 0
    std::memcpy(dst, &rgb, 4);
  }
  dst[0] = src[2];
  dst[1] = src[1];
  dst[2] = src[0];
}

/// 16 and 32 bpp: little-endian words split by the channel masks.
void masked_row(const std::uint8_t* src, std::uint8_t* dst, std::uint32_t width, std::uint16_t bpp,
                const std::array<channel, 3>& channels) {
  for (std::uint32_t x = 0; x < width; ++x, dst += 3) {
    std::uint32_t pixel;
    if (bpp == 16) {
      pixel = static_cast<std::uint32_t>(src[x * 2] | (src[x * 2 + 1] << 8));
    } else {
      const std::uint8_t* p = src + x * 4;
      pixel = static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
              (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
    }
    dst[0] = channels[0].extract(pixel);
    dst[1] = channels[1].extract(pixel);
    dst[2] = channels[2].extract(pixel);
  }
}

} // namespace

namespace {

/// Everything needed to turn pixel rows into RGB, read and checked once per dump.
struct pixel_plan {
  layout l;
  std::array<channel, 3> channels;
  std::vector<rgb_color> palette;
  std::uint32_t pixel_offset = 0;
  std::uint64_t stride = 0;
};

std::variant<pixel_plan, decode_error> make_plan(const reader& in) {
  pixel_plan p;
  layout& l = p.l;
  if (auto text = read_header(in, l); !text.empty()) return error(std::move(text));
  if (auto text = read_format(in, l); !text.empty()) return error(std::move(text));

  for (std::size_t i = 0; i < 3; ++i)
    if (!make_channel(l.masks[i], p.channels[i])) return error("non-contiguous BMP colour mask");

  p.pixel_offset = in.u32(10);

  // Palette (1/4/8 bpp): BGR triples in core files, BGRX quads otherwise. It may hold fewer
  // entries than 2^bpp, but never runs into the pixel data.
  if (l.bpp <= 8) {
    std::size_t entry = l.header_size == core_header_size ? 3 : 4;
    std::uint64_t count = 1u << l.bpp;
    if (l.colors_used != 0 && l.colors_used < count) count = l.colors_used;
    if (p.pixel_offset > l.headers_end)
      count = std::min<std::uint64_t>(count, (p.pixel_offset - l.headers_end) / entry);
    else
      count = 0;
    if (count == 0) return error("BMP palette missing");
    if (!in.has(l.headers_end, count * entry)) return error("truncated BMP palette");
    p.palette.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
      auto at = l.headers_end + i * entry;
      p.palette[i] = rgb_color{in.u8(at + 2), in.u8(at + 1), in.u8(at)};
    }
  }

  if (p.pixel_offset < l.headers_end) return error("BMP pixel data offset inside the headers");
  p.stride = (static_cast<std::uint64_t>(l.width) * l.bpp + 31) / 32 * 4;
  if (!in.has(p.pixel_offset, p.stride * l.height)) return error("truncated BMP pixel data");
  return p;
}

/// Byte offset of the raw row that becomes picture row `y`.
std::uint64_t row_offset(const pixel_plan& p, std::uint32_t y) {
  std::uint32_t src_row = p.l.top_down ? y : p.l.height - 1 - y;
  return p.pixel_offset + src_row * p.stride;
}

/// Converts raw row `y` of the dump into picture row `y` of `img`.
void convert_row(const pixel_plan& p, const reader& in, std::uint32_t y, image& img) {
  const std::uint8_t* src = in.data(row_offset(p, y));
  std::uint8_t* dst = img.rgb.data() + static_cast<std::size_t>(y) * p.l.width * 3;
  // One loop per format: a format switch inside the pixel loop kept the compiler from
  // optimising the common 24-bit case (it was 12 % of the phone session's CPU).
  switch (p.l.bpp) {
    case 1:
    case 4:
    case 8: palette_row(src, dst, p.l.width, p.l.bpp, p.palette); break;
    case 24: bgr_row(src, dst, p.l.width); break;
    default: masked_row(src, dst, p.l.width, p.l.bpp, p.channels); break;
  }
}

/// Every row of the dump.
image decode_all(const pixel_plan& p, const reader& in) {
  image img;
  img.width = p.l.width;
  img.height = p.l.height;
  img.rgb.resize(static_cast<std::size_t>(p.l.width) * p.l.height * 3);
  for (std::uint32_t y = 0; y < p.l.height; ++y) convert_row(p, in, y, img);
  return img;
}

} // namespace

std::variant<image, decode_error> decode_bmp(std::string_view bytes) {
  reader in{bytes};
  auto planned = make_plan(in);
  if (auto* e = std::get_if<decode_error>(&planned)) return std::move(*e);
  return decode_all(std::get<pixel_plan>(planned), in);
}

std::variant<image, decode_error> decode_bmp_update(std::string_view bytes, std::string_view previous_bytes,
                                                    const image* previous) {
  reader in{bytes};
  auto planned = make_plan(in);
  if (auto* e = std::get_if<decode_error>(&planned)) return std::move(*e);
  auto& p = std::get<pixel_plan>(planned);
  // Only when the previous dump has the very same headers (size, depth, masks, palette) do its
  // rows mean the same pixels; anything else is decoded in full.
  bool same_layout = previous && previous->valid() && previous->width == p.l.width && previous->height == p.l.height &&
                     previous_bytes.size() == bytes.size() &&
                     std::memcmp(previous_bytes.data(), bytes.data(), p.pixel_offset) == 0;
  if (!same_layout) return decode_all(p, in);
  image img = *previous;
  for (std::uint32_t y = 0; y < p.l.height; ++y) {
    auto at = row_offset(p, y);
    if (std::memcmp(bytes.data() + at, previous_bytes.data() + at, p.stride) != 0) convert_row(p, in, y, img);
  }
  return img;
}

} // namespace mpk::lcd
