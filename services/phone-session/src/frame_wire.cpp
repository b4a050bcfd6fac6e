#include "services/phone-session/src/frame_wire.hpp"

namespace mpk::session {

namespace {

void put_u16(std::string& out, std::uint32_t v) {
  out.push_back(static_cast<char>((v >> 8) & 0xFF));
  out.push_back(static_cast<char>(v & 0xFF));
}

void put_u32(std::string& out, std::uint32_t v) {
  put_u16(out, v >> 16);
  put_u16(out, v & 0xFFFF);
}

std::uint32_t get(std::string_view b, std::size_t at, std::size_t n) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}

} // namespace

std::optional<std::string> encode_lcd_frame(std::string_view device, std::uint32_t seq, std::uint32_t width,
                                            std::uint32_t height, const lcd::frame& f) {
  constexpr std::uint32_t max16 = 0xFFFF;
  if (f.png.empty() || device.size() > max_device_id_bytes) return std::nullopt;
  if (width > max16 || height > max16 || f.area.x > max16 || f.area.y > max16 || f.area.w > max16 || f.area.h > max16)
    return std::nullopt;
  std::string out;
  out.reserve(frame_header_bytes + device.size() + f.png.size());
  out.push_back(static_cast<char>(frame_type));
  out.push_back(static_cast<char>(f.full ? frame_codec::png_full : frame_codec::png_rect));
  put_u32(out, seq);
  put_u16(out, width);
  put_u16(out, height);
  put_u16(out, f.area.x);
  put_u16(out, f.area.y);
  put_u16(out, f.area.w);
  put_u16(out, f.area.h);
  out.push_back(static_cast<char>(device.size()));
  out.append(device);
  out.append(f.png);
  return out;
}

std::optional<lcd_frame_view> parse_lcd_frame(std::string_view b) {
  if (b.size() < frame_header_bytes || static_cast<unsigned char>(b[0]) != frame_type) return std::nullopt;
  auto codec = static_cast<unsigned char>(b[1]);
  if (codec != static_cast<unsigned char>(frame_codec::png_full) &&
      codec != static_cast<unsigned char>(frame_codec::png_rect))
    return std::nullopt;
  lcd_frame_view v;
  v.codec = static_cast<frame_codec>(codec);
  v.seq = get(b, 2, 4);
  v.width = static_cast<std::uint16_t>(get(b, 6, 2));
  v.height = static_cast<std::uint16_t>(get(b, 8, 2));
  v.x = static_cast<std::uint16_t>(get(b, 10, 2));
  v.y = static_cast<std::uint16_t>(get(b, 12, 2));
  v.w = static_cast<std::uint16_t>(get(b, 14, 2));
  v.h = static_cast<std::uint16_t>(get(b, 16, 2));
  std::size_t n = static_cast<unsigned char>(b[18]);
  if (b.size() <= frame_header_bytes + n) // the id must fit and at least one PNG byte follow
    return std::nullopt;
  v.device = b.substr(frame_header_bytes, n);
  v.png = b.substr(frame_header_bytes + n);
  return v;
}

} // namespace mpk::session
