#pragma once
/// Draws a phone_ui view into a framebuffer at the model's resolution and encodes it as the
/// phone's lcd_dump.bmp. New-UI colour screens get a status bar, content and an app/soft
/// key bar; mono, grey and old-UI screens get the classic look (inverted title line).

#include "sim/phone/framebuffer.hpp"
#include "sim/phone/phone_ui.hpp"

#include <string>

namespace mpk::sim_phone {

/// Renders the current view of `ui` into a new framebuffer.
framebuffer render_lcd(const phone_ui& ui);
/// Renders `v` (a view of `ui`) at the model's resolution.
framebuffer render_lcd(const phone_ui& ui, const screen_view& v);

/// Renders and encodes at the model's bit depth (bottom-up unless top_down).
std::string render_lcd_bmp(const phone_ui& ui, bool top_down = false);
std::string render_lcd_bmp(const phone_ui& ui, const screen_view& v, bool top_down = false);

} // namespace mpk::sim_phone
