#include "sim/phone/lcd_renderer.hpp"

#include "sim/phone/bmp_writer.hpp"

#include <algorithm>

namespace mpk::sim_phone {

namespace {

struct palette {
  rgb bar_bg, bar_fg, bg, fg, sel_bg, sel_fg, soft_bg, soft_fg, rule, notice_bg, notice_fg;
};

// New UI on colour panels: dark status bar, light content, grey app/soft key bar.
constexpr palette new_ui{0x1F3A5F, 0xFFFFFF, 0xFFFFFF, 0x101010, 0x3D7BD9, 0xFFFFFF,
                         0xE4E6EB, 0x202020, 0x9AA0A6, 0xFFF1B8, 0x101010};
// Classic look: black on white with inverted title and selection (works at 1 bpp).
constexpr palette classic{0x000000, 0xFFFFFF, 0xFFFFFF, 0x000000, 0x000000, 0xFFFFFF,
                          0xFFFFFF, 0x000000, 0x000000, 0x000000, 0xFFFFFF};

rgb reg_rgb(models::reg_color c) {
  switch (c) {
    case models::reg_color::registered: return 0x2EA043;     // green
    case models::reg_color::not_configured: return 0x5F6368; // dark grey
    case models::reg_color::disabled: return 0xF29900;       // orange
    case models::reg_color::failed: return 0xD93025;         // red
  }
  return 0;
}

/// Keeps the last `cols` code points of a UTF-8 string (typed numbers show their end).
std::string tail(const std::string& s, int cols) {
  auto cps = decode_utf8(s);
  if (static_cast<int>(cps.size()) <= cols) return s;
  std::string out;
  for (size_t i = cps.size() - static_cast<size_t>(cols); i < cps.size(); ++i)
    out.push_back(static_cast<char>(fold_to_ascii(cps[i])));
  return out;
}

/// Keeps the first `cols` code points.
std::string head(const std::string& s, int cols) {
  auto cps = decode_utf8(s);
  if (static_cast<int>(cps.size()) <= cols) return s;
  std::string out;
  for (int i = 0; i < cols; ++i) out.push_back(static_cast<char>(fold_to_ascii(cps[static_cast<size_t>(i)])));
  return out;
}

int length(const std::string& s) { return static_cast<int>(decode_utf8(s).size()); }

/// Registration status icon: a filled square in the state colour (colour panels) or a
/// filled / hollow / crossed square (mono), so every state looks different everywhere.
void draw_reg_icon(framebuffer& fb, int x, int y, int size, models::reg_color c, bool color, rgb fg) {
  if (color) {
    fb.fill_rect(x, y, size, size, reg_rgb(c));
    fb.frame_rect(x, y, size, size, fg);
    return;
  }
  fb.frame_rect(x, y, size, size, fg);
  switch (c) {
    case models::reg_color::registered: fb.fill_rect(x, y, size, size, fg); break;
    case models::reg_color::not_configured: break;
    case models::reg_color::disabled: fb.fill_rect(x, y + size / 2, size, 1, fg); break;
    case models::reg_color::failed:
      for (int i = 0; i < size; ++i) {
        fb.set_pixel(x + i, y + i, fg);
        fb.set_pixel(x + size - 1 - i, y + i, fg);
      }
      break;
  }
}

} // namespace

framebuffer render_lcd(const phone_ui& ui) { return render_lcd(ui, ui.view()); }

framebuffer render_lcd(const phone_ui& ui, const screen_view& v) {
  const auto& m = ui.model();
  const screen_layout& l = ui.layout();
  const bool modern = m.screen.color && !m.old_ui();
  const palette& p = modern ? new_ui : classic;
  const int s = l.scale;
  const int cols = l.columns();
  const int text_dy = (l.line_h - 7 * s) / 2;

  framebuffer fb(l.width, l.height, p.bg);

  // -- top bar: title left, status icons in the middle, clock right --
  const rect& tb = l.top_bar;
  fb.fill_rect(tb.x, tb.y, tb.w, tb.h, p.bar_bg);
  const int ty = tb.y + (tb.h - 7 * s) / 2;
  const int clock_w = framebuffer::text_width(length(v.clock), s);
  fb.draw_text(l.width - l.margin - clock_w, ty, v.clock, p.bar_fg, s);
  const int icon = 7 * s;
  int ix = l.width / 2 - icon;
  draw_reg_icon(fb, ix, ty, icon, v.reg, m.screen.color, p.bar_fg);
  ix += icon + 2 * s;
  for (auto [on, ch] : {std::pair{v.off_hook, "H"}, {v.speaker, "S"}, {v.headset, "h"}, {v.mute, "M"}}) {
    if (!on) continue;
    ix = fb.draw_text(ix, ty, ch, p.bar_fg, s);
  }
  const int title_cols = std::max(0, (l.width / 2 - icon - 2 * l.margin) / (6 * s));
  fb.draw_text(l.margin, ty, head(v.title, title_cols), p.bar_fg, s);

  // -- content lines (a big line takes two rows) --
  int row = 0;
  for (const view_line& line : v.lines) {
    if (row >= l.lines()) break;
    rect r = l.line(row);
    if (line.selected) fb.fill_rect(r.x, r.y, r.w, r.h, p.sel_bg);
    const rgb fg = line.selected ? p.sel_fg : p.fg;
    int scale = s;
    if (line.big && row + 1 < l.lines() && framebuffer::text_width(length(line.text), 2 * s) <= l.width - 2 * l.margin)
      scale = 2 * s;
    if (scale == s) {
      fb.draw_text(l.margin, r.y + text_dy, line.big ? tail(line.text, cols) : head(line.text, cols), fg, s);
      row += 1;
    } else {
      fb.draw_text(l.margin, r.y + (2 * l.line_h - 7 * scale) / 2, line.text, fg, scale);
      row += 2;
    }
  }

  // -- notice: a flash line just above the bottom bar --
  if (!v.notice.empty() && l.lines() > 0) {
    rect r = l.line(l.lines() - 1);
    fb.fill_rect(r.x, r.y, r.w, r.h, p.notice_bg);
    fb.draw_text(l.margin, r.y + text_dy, head(v.notice, cols), p.notice_fg, s);
  }

  // -- bottom bar: soft key labels / on-screen buttons --
  const rect& bb = l.bottom_bar;
  fb.fill_rect(bb.x, bb.y, bb.w, bb.h, p.soft_bg);
  fb.fill_rect(bb.x, bb.y, bb.w, 1, p.rule);
  for (int i = 0; i < l.soft_buttons; ++i) {
    rect b = l.button(i);
    if (i > 0) fb.fill_rect(b.x, b.y, 1, b.h, p.rule);
    const std::string& label = v.soft[static_cast<size_t>(i)];
    const int bc = std::max(0, (b.w - 2 * s) / (6 * s));
    const std::string shown = head(label, bc);
    const int tw = framebuffer::text_width(length(shown), s);
    fb.draw_text(b.x + (b.w - tw) / 2, b.y + (b.h - 7 * s) / 2, shown, p.soft_fg, s);
  }
  return fb;
}

std::string render_lcd_bmp(const phone_ui& ui, bool top_down) { return render_lcd_bmp(ui, ui.view(), top_down); }

std::string render_lcd_bmp(const phone_ui& ui, const screen_view& v, bool top_down) {
  auto bmp = write_bmp(render_lcd(ui, v), {ui.model().screen.bpp, top_down});
  return bmp ? *bmp : std::string{};
}

} // namespace mpk::sim_phone
