#pragma once
/// Per-frame choice between a full picture and a dirty-rectangle delta.

#include "services/phone-session/lcd/image.hpp"
#include "services/phone-session/lcd/png_encoder.hpp"

#include <string>

namespace mpk::lcd {

/// One update for the browser: a PNG of `area` (the whole screen when `full`).
/// An unchanged screen gives full == false, an empty area and an empty png: nothing to send.
struct frame {
  bool full = true;
  rect area;
  std::string png;
};

/// Full frame when there is no previous (or its size differs) or the dirty rect covers more
/// than half the area — one PNG of the screen is then about as small and simpler for the
/// browser; else a delta of the dirty rect.
frame encode_frame(const image* previous, const image& next, png_options options = {});

} // namespace mpk::lcd
