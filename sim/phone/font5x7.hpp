#pragma once
/// The simulated phone's bitmap font: 5x7 glyphs in a 6x8 cell.

#include <cstdint>

namespace mpk::sim_phone {

constexpr int glyph_width = 5;
constexpr int glyph_height = 7;
constexpr int cell_width = 6;
constexpr int cell_height = 8;

/// Seven rows of the glyph of c (bit 4 = leftmost column); '?' for anything outside
/// printable ASCII (callers fold accented letters first, see framebuffer::draw_text).
const std::uint8_t* font5x7_glyph(char32_t c);

} // namespace mpk::sim_phone
