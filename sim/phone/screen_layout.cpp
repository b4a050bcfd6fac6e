#include "sim/phone/screen_layout.hpp"

#include "sim/phone/font5x7.hpp"

namespace mpk::sim_phone {

screen_layout screen_layout::for_model(const models::model& m) {
  screen_layout l;
  l.width = m.screen.width;
  l.height = m.screen.height;
  l.scale = l.width >= 320 ? 2 : 1;
  l.margin = 2 * l.scale;
  l.line_h = (cell_height + 2) * l.scale;
  const int bar_h = m.old_ui() ? l.line_h : l.line_h + 2 * l.scale;
  l.top_bar = {0, 0, l.width, bar_h};
  l.bottom_bar = {0, l.height - bar_h, l.width, bar_h};
  l.content = {0, bar_h, l.width, l.height - 2 * bar_h};
  return l;
}

rect screen_layout::button(int i) const {
  const int w = width / soft_buttons;
  const int x = i * w;
  return {x, bottom_bar.y, i == soft_buttons - 1 ? width - x : w, bottom_bar.h};
}

int screen_layout::line_at(int y) const {
  if (y < content.y || y >= content.y + lines() * line_h) return -1;
  return (y - content.y) / line_h;
}

rect screen_layout::line(int i) const { return {0, content.y + i * line_h, width, line_h}; }

} // namespace mpk::sim_phone
