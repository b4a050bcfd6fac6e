#pragma once
/// Geometry of the simulated phone's screen, shared by the renderer (where to draw) and the
/// UI (where a touch landed), so both always agree.

#include "common/models/model.hpp"

namespace mpk::sim_phone {

struct rect {
  int x = 0, y = 0, w = 0, h = 0;
  bool contains(int px, int py) const { return px >= x && py >= y && px < x + w && py < y + h; }
};

struct screen_layout {
  int width = 0, height = 0;
  int scale = 1;   ///< font scale: 2 on screens 320 px wide or more
  int line_h = 0;  ///< height of one content line
  int margin = 0;  ///< left/right text margin
  rect top_bar;    ///< status bar (new UI) or title line (old UI)
  rect content;    ///< lines between the bars
  rect bottom_bar; ///< soft key labels / on-screen buttons
  int soft_buttons = 3;

  /// Rectangle of on-screen button i (0-based) in the bottom bar.
  rect button(int i) const;
  /// Index of the content line at y, or -1.
  int line_at(int y) const;
  /// Rectangle of content line i.
  rect line(int i) const;
  /// Whole content lines that fit.
  int lines() const { return line_h > 0 ? content.h / line_h : 0; }
  /// Characters that fit on a line at the layout's scale.
  int columns() const { return (width - 2 * margin) / (6 * scale); }

  static screen_layout for_model(const models::model& m);
};

} // namespace mpk::sim_phone
