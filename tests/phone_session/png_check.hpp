#pragma once
// Test helper: decodes the PNG of an LCD frame with libpng (independently of our encoder) and
// paints frames onto a canvas the way the browser does.

#include "services/phone-session/lcd/image.hpp"

#include <optional>
#include <string_view>

namespace mpk::test {

/// 8-bit RGB pixels of a PNG; nullopt when libpng refuses it.
std::optional<lcd::image> decode_png(std::string_view bytes);

/// Applies one wire frame (docs/app-protocol.md §4) to `canvas` as the web app does: a full
/// frame replaces it, a rect frame is drawn at (x, y). False for a malformed frame, a PNG
/// whose size differs from the header's w/h, or a rect outside the canvas.
bool paint_frame(lcd::image& canvas, std::string_view frame_bytes);

} // namespace mpk::test
