// mpk_bench_lcd (target 4, the CPU side): what one screen change costs the phone-session node.
// Synthetic screens in the phones' sizes (320x240 colour, 480x272 colour) drawn like the phone
// UI (status bar, text lines, soft keys) go through the real codec of services/phone-session/lcd:
// the unchanged-screen check (the raw BMP compared with the last one kept), BMP decode, diff, PNG of the full
// screen and of the dirty rectangle when one text line changes. Per-change CPU x 1,000 phones at
// 1 Hz is the share of a core the node needs for target 4.

#include "bench/bench_util.hpp"
#include "services/phone-session/lcd/bmp_decoder.hpp"
#include "services/phone-session/lcd/diff.hpp"
#include "services/phone-session/lcd/frame_encoder.hpp"
#include "services/phone-session/lcd/last_dump.hpp"
#include "services/phone-session/lcd/png_encoder.hpp"

#include <cstring>
#include <ctime>
#include <functional>
#include <iostream>
#include <variant>

using namespace mpk;
using namespace mpk::bench;

namespace {

/// A phone-like screen: white background, dark status bar, text lines of 6x8 glyph cells whose
/// pixels come from `text_seed` (a different seed on one line = one changed text line).
lcd::image draw_screen(std::uint32_t w, std::uint32_t h, std::uint32_t changed_line, std::uint32_t text_seed) {
  lcd::image img;
  img.width = w;
  img.height = h;
  img.rgb.assign(static_cast<std::size_t>(w) * h * 3, 0xff);
  auto put = [&](std::uint32_t x, std::uint32_t y, std::uint8_t r, std::uint8_t g, std::uint8_t b) {
    auto* p = &img.rgb[(static_cast<std::size_t>(y) * w + x) * 3];
    p[0] = r, p[1] = g, p[2] = b;
  };
  for (std::uint32_t y = 0; y < 20; ++y)
    for (std::uint32_t x = 0; x < w; ++x) put(x, y, 0x20, 0x30, 0x40);
  for (std::uint32_t y = h - 24; y < h; ++y)
    for (std::uint32_t x = 0; x < w; ++x) put(x, y, 0xe0, 0xe0, 0xe8);
  std::uint32_t lines = (h - 60) / 16;
  for (std::uint32_t line = 0; line < lines; ++line) {
    std::uint32_t seed = (line == changed_line ? text_seed : 7) * 2654435761u + line * 40503u;
    std::uint32_t chars = 20 + (seed >> 7) % 20;
    for (std::uint32_t c = 0; c < chars && 8 + c * 6 + 5 < w; ++c) {
      seed = seed * 1664525u + 1013904223u;
      for (std::uint32_t gy = 0; gy < 7; ++gy)
        for (std::uint32_t gx = 0; gx < 5; ++gx)
          if ((seed >> ((gy * 5 + gx) % 31)) & 1) put(8 + c * 6 + gx, 28 + line * 16 + gy, 0x10, 0x10, 0x10);
    }
  }
  return img;
}

/// 24-bit bottom-up BMP, as a phone's lcd_dump.bmp could look.
std::string to_bmp(const lcd::image& img) {
  std::uint32_t row = (img.width * 3 + 3) & ~3u;
  std::uint32_t size = 54 + row * img.height;
  std::string b(size, '\0');
  auto u16 = [&](std::size_t at, std::uint32_t v) { b[at] = char(v & 0xff), b[at + 1] = char((v >> 8) & 0xff); };
  auto u32 = [&](std::size_t at, std::uint32_t v) { u16(at, v & 0xffff), u16(at + 2, v >> 16); };
  b[0] = 'B', b[1] = 'M';
  u32(2, size), u32(10, 54), u32(14, 40), u32(18, img.width), u32(22, img.height), u16(26, 1), u16(28, 24);
  u32(34, row * img.height);
  for (std::uint32_t y = 0; y < img.height; ++y) {
    auto* dst = &b[54 + static_cast<std::size_t>(img.height - 1 - y) * row];
    for (std::uint32_t x = 0; x < img.width; ++x) {
      auto* s = &img.rgb[(static_cast<std::size_t>(y) * img.width + x) * 3];
      dst[x * 3] = char(s[2]), dst[x * 3 + 1] = char(s[1]), dst[x * 3 + 2] = char(s[0]);
    }
  }
  return b;
}

/// CPU time of this thread in microseconds: the machine is shared, wall time would count
/// other processes' turns.
double thread_cpu_us() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

/// Median CPU microseconds per call over `runs` batches of `reps` calls of `f`.
double time_us(int runs, int reps, const std::function<void()>& f) {
  std::vector<double> v;
  for (int r = 0; r < runs; ++r) {
    auto t0 = thread_cpu_us();
    for (int i = 0; i < reps; ++i) f();
    v.push_back((thread_cpu_us() - t0) / reps);
  }
  return median(v);
}

volatile std::uint64_t sink = 0;

} // namespace

int main(int argc, char** argv) {
  bool smoke = has_flag(argc, argv, "--smoke");
  int runs = smoke ? 3 : 7, reps = smoke ? 5 : 200;
  note("mpk_bench_lcd " + machine_line());
  double worst_change_ms = 0;
  for (auto [w, h] : {std::pair<std::uint32_t, std::uint32_t>{320, 240}, {480, 272}}) {
    std::string tag = std::to_string(w) + "x" + std::to_string(h);
    auto a = draw_screen(w, h, 3, 7), b = draw_screen(w, h, 3, 99);
    auto bmp_a = to_bmp(a), bmp_b = to_bmp(b);
    auto decoded = lcd::decode_bmp(bmp_b);
    if (!std::holds_alternative<lcd::image>(decoded)) {
      std::cerr << "decode failed: " << std::get<lcd::decode_error>(decoded).text << "\n";
      return 1;
    }
    figure("lcd." + tag + ".raw_bmp", bmp_a.size() / 1024.0, "KB");
    // The worst case of the check: an identical dump (in another buffer, as a fresh poll
    // delivers it) is compared to the end.
    lcd::last_dump last;
    last.keep(bmp_a);
    auto poll_a = bmp_a;
    figure("lcd." + tag + ".unchanged_check", time_us(runs, reps, [&] { sink += last.same_as(poll_a); }), "us");
    figure("lcd." + tag + ".decode_bmp",
           time_us(runs, reps,
                   [&] {
                     auto r = lcd::decode_bmp(bmp_b);
                     sink += r.index();
                   }) /
             1000.0,
           "ms");
    // The session's path: the picture of the last dump plus the rows that changed.
    figure("lcd." + tag + ".decode_bmp_update",
           time_us(runs, reps,
                   [&] {
                     auto r = lcd::decode_bmp_update(bmp_b, bmp_a, &a);
                     sink += r.index();
                   }) /
             1000.0,
           "ms");
    figure("lcd." + tag + ".diff", time_us(runs, reps, [&] { sink += lcd::diff(a, b).h; }) / 1000.0, "ms");
    std::string full;
    figure("lcd." + tag + ".full_png",
           time_us(runs, reps, [&] { full = lcd::encode_png(b, lcd::full_rect(b)); }) / 1000.0, "ms");
    figure("lcd." + tag + ".full_png_size", full.size() / 1024.0, "KB");
    lcd::frame delta;
    figure("lcd." + tag + ".delta_line", time_us(runs, reps, [&] { delta = lcd::encode_frame(&a, b); }) / 1000.0, "ms");
    figure("lcd." + tag + ".delta_line_size", delta.png.size() / 1024.0, "KB");
    if (delta.full) note(tag + ": the one-line change was sent as a full frame");
    // One change as the node sees it: unchanged check, decode of the changed rows, diff + delta PNG.
    double change_ms = time_us(runs, reps,
                               [&] {
                                 sink += last.same_as(bmp_b);
                                 auto img = lcd::decode_bmp_update(bmp_b, bmp_a, &a);
                                 if (auto* p = std::get_if<lcd::image>(&img))
                                   sink += lcd::encode_frame(&a, *p).png.size();
                               }) /
                       1000.0;
    figure("lcd." + tag + ".cpu_per_change", change_ms, "ms");
    worst_change_ms = std::max(worst_change_ms, change_ms);
  }
  // 1,000 watched phones, one change per second each: CPU seconds per second = cores.
  figure("lcd.cores_for_1000_phones_1hz", worst_change_ms * 1000.0 / 1000.0, "cores");
  return 0;
}
