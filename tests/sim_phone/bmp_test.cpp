// The BMP writer: headers, palettes, masks, padding and row order for every depth.

#include "sim/phone/bmp_writer.hpp"
#include "tests/sim_phone/bmp_check.hpp"

#include <catch2/catch.hpp>

using namespace mpk::sim_phone;

namespace {
/// A 13x5 test card: odd width so every depth needs row padding.
framebuffer card() {
  framebuffer fb(13, 5, 0xFFFFFF);
  fb.fill_rect(0, 0, 4, 5, 0x000000);
  fb.set_pixel(5, 1, 0xFF0000);
  fb.set_pixel(6, 1, 0x00FF00);
  fb.set_pixel(7, 1, 0x0000FF);
  fb.set_pixel(12, 4, 0x808080);
  return fb;
}
} // namespace

TEST_CASE("BMP headers for every supported depth") {
  for (int bpp : {1, 4, 8, 16, 24, 32}) {
    INFO("bpp " << bpp);
    auto bmp = write_bmp(card(), {bpp, false});
    REQUIRE(bmp);
    auto i = bmp_check::parse(*bmp);
    REQUIRE(i);
    CHECK(i->width == 13);
    CHECK(i->height == 5);
    CHECK(i->planes == 1);
    CHECK(i->bpp == bpp);
    CHECK(i->header_size == 40);
    CHECK(i->file_size == bmp->size());
    CHECK(i->offset + bmp_check::row_bytes(*i) * 5 == bmp->size());
    CHECK(bmp_check::row_bytes(*i) % 4 == 0);
    CHECK(i->colors == (bpp <= 8 ? (1u << bpp) : 0u));
    CHECK(i->compression == (bpp == 16 ? 3u : 0u));
    if (bpp == 16) {
      CHECK(i->masks[0] == 0xF800);
      CHECK(i->masks[1] == 0x07E0);
      CHECK(i->masks[2] == 0x001F);
    }
  }
  CHECK_FALSE(write_bmp(card(), {2, false}));
  CHECK_FALSE(write_bmp(framebuffer(0, 0), {24, false}));
}

TEST_CASE("BMP pixels survive each depth") {
  for (bool top_down : {false, true}) {
    INFO("top_down " << top_down);
    auto b24 = *write_bmp(card(), {24, top_down});
    auto i24 = *bmp_check::parse(b24);
    CHECK(i24.height == (top_down ? -5 : 5));
    CHECK(bmp_check::pixel(b24, i24, 0, 0) == 0x000000u);
    CHECK(bmp_check::pixel(b24, i24, 5, 1) == 0xFF0000u);
    CHECK(bmp_check::pixel(b24, i24, 6, 1) == 0x00FF00u);
    CHECK(bmp_check::pixel(b24, i24, 7, 1) == 0x0000FFu);
    CHECK(bmp_check::pixel(b24, i24, 12, 4) == 0x808080u);
    CHECK(bmp_check::pixel(b24, i24, 12, 0) == 0xFFFFFFu);

    auto b32 = *write_bmp(card(), {32, top_down});
    auto i32 = *bmp_check::parse(b32);
    CHECK(bmp_check::pixel(b32, i32, 6, 1) == 0x00FF00u);

    auto b16 = *write_bmp(card(), {16, top_down});
    auto i16 = *bmp_check::parse(b16);
    CHECK(bmp_check::pixel(b16, i16, 5, 1) == 0xF80000u);
    CHECK(bmp_check::pixel(b16, i16, 6, 1) == 0x00FC00u);
    CHECK(bmp_check::pixel(b16, i16, 7, 1) == 0x0000F8u);

    auto b8 = *write_bmp(card(), {8, top_down});
    auto i8 = *bmp_check::parse(b8);
    CHECK(bmp_check::pixel(b8, i8, 0, 0) == 0x000000u);
    CHECK(bmp_check::pixel(b8, i8, 12, 0) == 0xFFFFFFu);
    CHECK(bmp_check::pixel(b8, i8, 12, 4) == 0x808080u);

    auto b4 = *write_bmp(card(), {4, top_down});
    auto i4 = *bmp_check::parse(b4);
    CHECK(bmp_check::pixel(b4, i4, 0, 4) == 0x000000u);
    CHECK(bmp_check::pixel(b4, i4, 11, 4) == 0xFFFFFFu);
    CHECK(bmp_check::pixel(b4, i4, 12, 4) == 0x888888u); // 16 grey levels: 8 * 17

    auto b1 = *write_bmp(card(), {1, top_down});
    auto i1 = *bmp_check::parse(b1);
    CHECK(bmp_check::pixel(b1, i1, 3, 2) == 0x000000u);
    CHECK(bmp_check::pixel(b1, i1, 4, 2) == 0xFFFFFFu);
    CHECK(bmp_check::pixel(b1, i1, 7, 1) == 0x000000u);  // dark blue -> black
    CHECK(bmp_check::pixel(b1, i1, 12, 4) == 0xFFFFFFu); // mid grey -> white
  }
}

TEST_CASE("framebuffer clips and draws text") {
  framebuffer fb(20, 10, 0xFFFFFF);
  fb.fill_rect(-5, -5, 100, 7, 0x000000); // clipped to rows 0-1, no crash
  CHECK(fb.pixel(19, 0) == 0x000000u);
  CHECK(fb.pixel(19, 2) == 0xFFFFFFu);
  CHECK(fb.pixel(-1, 0) == 0u);
  framebuffer t(30, 10, 0xFFFFFF);
  int end = t.draw_text(0, 0, "Ä!", 0x000000, 1);
  CHECK(end == 12);
  int ink = 0;
  for (int y = 0; y < 10; ++y)
    for (int x = 0; x < 30; ++x) ink += t.pixel(x, y) == 0x000000u;
  CHECK(ink > 10);
  // 'A' and 'Ä' look the same (folded), '!' has 6 ink pixels.
  framebuffer a(6, 8, 0xFFFFFF), b(6, 8, 0xFFFFFF);
  a.draw_text(0, 0, "A", 0, 1);
  b.draw_text(0, 0, "\xC3\x84", 0, 1);
  bool same = true;
  for (int y = 0; y < 8; ++y)
    for (int x = 0; x < 6; ++x) same = same && a.pixel(x, y) == b.pixel(x, y);
  CHECK(same);
  CHECK(decode_utf8("a\xE2\x82") == std::u32string{U'a', 0xFFFD, 0xFFFD});
}
