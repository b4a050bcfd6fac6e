#pragma once
/// The binary LCD frame the browser receives on its app websocket (docs/app-protocol.md §4):
/// a fixed header, the device id and one PNG to draw at (x, y) on a canvas of the screen size.

#include "services/phone-session/lcd/frame_encoder.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mpk::session {

/// Byte 1 of a frame: what the PNG covers.
enum class frame_codec : std::uint8_t { png_full = 1, png_rect = 2 };

inline constexpr std::uint8_t frame_type = 0x4C;      ///< 'L'
inline constexpr std::size_t frame_header_bytes = 19; ///< up to and including the id length
inline constexpr std::size_t max_device_id_bytes = 255;

/// The header fields of a frame, as read back by parse_lcd_frame.
struct lcd_frame_view {
  frame_codec codec = frame_codec::png_full;
  std::uint32_t seq = 0;
  std::uint16_t width = 0, height = 0;
  std::uint16_t x = 0, y = 0, w = 0, h = 0;
  std::string_view device;
  std::string_view png;
};

/// Wire bytes of `f` for a screen of `width` x `height`. nullopt when the frame cannot be
/// expressed: an empty PNG, a device id longer than 255 bytes, or sizes above 65535.
std::optional<std::string> encode_lcd_frame(std::string_view device, std::uint32_t seq, std::uint32_t width,
                                            std::uint32_t height, const lcd::frame& f);

/// Reads a frame (tests, tools, the gateway's checks). nullopt for anything malformed:
/// short input, another type byte, unknown codec, an id running past the end, no PNG bytes.
std::optional<lcd_frame_view> parse_lcd_frame(std::string_view bytes);

} // namespace mpk::session
