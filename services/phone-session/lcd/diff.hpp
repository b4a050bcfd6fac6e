#pragma once
/// What changed between two LCD frames.

#include "services/phone-session/lcd/image.hpp"

namespace mpk::lcd {

/// Bounding box of the pixels that differ (empty if identical). Different sizes (or a pixel
/// buffer that does not match its size) → the whole new image.
rect diff(const image& previous, const image& next);

} // namespace mpk::lcd
