// BMP decoding of every depth and header the format allows, and refusal of bad files.
#include "services/phone-session/lcd/bmp_decoder.hpp"
#include "tests/lcd/bmp_builder.hpp"

#include <catch2/catch.hpp>

#include <cstring>

using namespace mpk::lcd;
using namespace mpk::lcd::test;

namespace {

// Odd sizes so every depth needs row padding.
constexpr int W = 13;
constexpr int H = 7;

const image& require_image(const std::variant<image, decode_error>& r) {
  if (auto* e = std::get_if<decode_error>(&r)) FAIL("decode error: " << e->text);
  return std::get<image>(r);
}

rgb pixel_at(const image& img, int x, int y) {
  const auto* p = img.rgb.data() + (static_cast<std::size_t>(y) * img.width + x) * 3;
  return rgb{p[0], p[1], p[2]};
}

/// Decodes `spec` and compares each pixel with `expect(x, y)`.
void check_decodes(const bmp_spec& spec, const std::function<rgb(int, int)>& expect) {
  auto decoded = decode_bmp(build_bmp(spec));
  const auto& img = require_image(decoded);
  REQUIRE(img.width == static_cast<std::uint32_t>(spec.width));
  REQUIRE(img.height == static_cast<std::uint32_t>(spec.height));
  REQUIRE(img.rgb.size() == img.width * img.height * 3u);
  for (int y = 0; y < spec.height; ++y)
    for (int x = 0; x < spec.width; ++x) {
      auto got = pixel_at(img, x, y);
      auto want = expect(x, y);
      INFO("pixel " << x << "," << y << " got " << int(got.r) << "/" << int(got.g) << "/" << int(got.b) << " want "
                    << int(want.r) << "/" << int(want.g) << "/" << int(want.b));
      REQUIRE(got == want);
    }
}

std::string error_of(std::string_view bytes) {
  auto r = decode_bmp(bytes);
  auto* e = std::get_if<decode_error>(&r);
  return e ? e->text : std::string{};
}

/// A colourful, asymmetric test pattern (so flips and swaps show).
rgb pattern(int x, int y) {
  return rgb{static_cast<std::uint8_t>(x * 19 + y), static_cast<std::uint8_t>(y * 37 + 3),
             static_cast<std::uint8_t>((x * y * 11) ^ 0x5a)};
}

const std::vector<rgb> palette16 = {{0, 0, 0},     {255, 255, 255}, {255, 0, 0},    {0, 255, 0},
                                    {0, 0, 255},   {1, 2, 3},       {200, 100, 50}, {10, 20, 30},
                                    {99, 98, 97},  {7, 7, 7},       {128, 0, 128},  {0, 128, 128},
                                    {128, 128, 0}, {250, 240, 230}, {60, 70, 80},   {33, 66, 99}};

} // namespace

TEST_CASE("24 bpp bottom-up", "[lcd][bmp]") {
  bmp_spec s;
  s.width = W;
  s.height = H;
  s.raw = [](int x, int y) {
    auto c = pattern(x, y);
    return std::uint32_t(c.r) << 16 | std::uint32_t(c.g) << 8 | c.b;
  };
  check_decodes(s, pattern);
}

TEST_CASE("24 bpp top-down (negative height)", "[lcd][bmp]") {
  bmp_spec s;
  s.width = W;
  s.height = H;
  s.top_down = true;
  s.raw = [](int x, int y) {
    auto c = pattern(x, y);
    return std::uint32_t(c.r) << 16 | std::uint32_t(c.g) << 8 | c.b;
  };
  check_decodes(s, pattern);
}

TEST_CASE("24 bpp at every width from 1 to 9: row padding and the last pixel of a row", "[lcd][bmp]") {
  for (int width = 1; width <= 9; ++width) {
    INFO("width " << width);
    for (bool top_down : {false, true}) {
      bmp_spec s;
      s.width = width;
      s.height = 3;
      s.top_down = top_down;
      s.raw = [](int x, int y) {
        auto c = pattern(x, y);
        return std::uint32_t(c.r) << 16 | std::uint32_t(c.g) << 8 | c.b;
      };
      check_decodes(s, pattern);
    }
  }
}

TEST_CASE("32 bpp BI_RGB ignores the fourth byte", "[lcd][bmp]") {
  bmp_spec s;
  s.bpp = 32;
  s.width = W;
  s.height = H;
  s.raw = [](int x, int y) {
    auto c = pattern(x, y);
    return 0xAB000000u | std::uint32_t(c.r) << 16 | std::uint32_t(c.g) << 8 | c.b;
  };
  check_decodes(s, pattern);
}

TEST_CASE("32 bpp BI_BITFIELDS in RGBA byte order", "[lcd][bmp]") {
  bmp_spec s;
  s.bpp = 32;
  s.width = W;
  s.height = H;
  s.compression = 3;
  s.masks = {0x000000FF, 0x0000FF00, 0x00FF0000}; // R in the first byte
  s.raw = [](int x, int y) {
    auto c = pattern(x, y);
    return 0xFF000000u | std::uint32_t(c.b) << 16 | std::uint32_t(c.g) << 8 | c.r;
  };
  check_decodes(s, pattern);
}

TEST_CASE("16 bpp RGB565 BI_BITFIELDS", "[lcd][bmp]") {
  // Fixed words with known 8-bit values: full scale maps to 255, mid-scale rounds.
  const std::vector<std::pair<std::uint16_t, rgb>> words = {
    {0xF800, {255, 0, 0}}, {0x07E0, {0, 255, 0}},     {0x001F, {0, 0, 255}}, {0xFFFF, {255, 255, 255}},
    {0x0000, {0, 0, 0}},   {0x8410, {132, 130, 132}}, {0x0821, {8, 4, 8}},
  };
  bmp_spec s;
  s.bpp = 16;
  s.width = W;
  s.height = H;
  s.compression = 3;
  s.masks = {0xF800, 0x07E0, 0x001F};
  s.raw = [&](int x, int y) { return words[(x + y) % words.size()].first; };
  check_decodes(s, [&](int x, int y) { return words[(x + y) % words.size()].second; });
}

TEST_CASE("16 bpp BI_RGB is 555", "[lcd][bmp]") {
  const std::vector<std::pair<std::uint16_t, rgb>> words = {
    {0x7C00, {255, 0, 0}}, {0x03E0, {0, 255, 0}}, {0x001F, {0, 0, 255}}, {0x8000, {0, 0, 0}}, {0x4210, {132, 132, 132}},
  };
  bmp_spec s;
  s.bpp = 16;
  s.width = W;
  s.height = H;
  s.raw = [&](int x, int y) { return words[(x * 3 + y) % words.size()].first; };
  check_decodes(s, [&](int x, int y) { return words[(x * 3 + y) % words.size()].second; });
}

TEST_CASE("16 bpp 444 bit fields in a V5 header", "[lcd][bmp]") {
  bmp_spec s;
  s.header_size = 124;
  s.bpp = 16;
  s.width = W;
  s.height = H;
  s.top_down = true;
  s.compression = 3;
  s.masks = {0x0F00, 0x00F0, 0x000F, 0xF000};
  s.raw = [](int x, int y) { return std::uint32_t(0xF000 | (x % 16) << 8 | (y % 16) << 4 | 0xF); };
  check_decodes(s, [](int x, int y) {
    return rgb{static_cast<std::uint8_t>((x % 16) * 17), static_cast<std::uint8_t>((y % 16) * 17), 255};
  });
}

TEST_CASE("32 bpp BI_RGB with a V4 header", "[lcd][bmp]") {
  bmp_spec s;
  s.header_size = 108;
  s.bpp = 32;
  s.width = W;
  s.height = H;
  s.raw = [](int x, int y) {
    auto c = pattern(x, y);
    return std::uint32_t(c.r) << 16 | std::uint32_t(c.g) << 8 | c.b;
  };
  check_decodes(s, pattern);
}

TEST_CASE("1 bpp palette", "[lcd][bmp]") {
  bmp_spec s;
  s.bpp = 1;
  s.width = 37; // crosses byte boundaries and needs padding
  s.height = H;
  s.palette = {{10, 20, 30}, {240, 230, 220}};
  s.raw = [](int x, int y) { return std::uint32_t((x * 7 + y) % 3 == 0); };
  check_decodes(s, [&](int x, int y) { return s.palette[(x * 7 + y) % 3 == 0]; });
}

TEST_CASE("4 bpp palette", "[lcd][bmp]") {
  bmp_spec s;
  s.bpp = 4;
  s.width = W;
  s.height = H;
  s.palette = palette16;
  s.raw = [](int x, int y) { return std::uint32_t((x + 2 * y) % 16); };
  check_decodes(s, [](int x, int y) { return palette16[(x + 2 * y) % 16]; });
}

TEST_CASE("8 bpp palette with colors_used and out-of-range indexes", "[lcd][bmp]") {
  bmp_spec s;
  s.bpp = 8;
  s.width = W;
  s.height = H;
  s.palette = palette16;
  s.colors_used = 16;
  s.raw = [](int x, int y) { return std::uint32_t((x * 5 + y * 3) % 20); }; // 16..19: no entry
  check_decodes(s, [](int x, int y) {
    auto i = (x * 5 + y * 3) % 20;
    return i < 16 ? palette16[i] : rgb{0, 0, 0};
  });
}

TEST_CASE("core header with 8 bpp and 24 bpp", "[lcd][bmp]") {
  bmp_spec s;
  s.header_size = 12;
  s.bpp = 8;
  s.width = W;
  s.height = H;
  s.palette = palette16;
  s.palette.resize(256, rgb{1, 1, 1});
  s.raw = [](int x, int y) { return std::uint32_t((x + y) % 16); };
  check_decodes(s, [](int x, int y) { return palette16[(x + y) % 16]; });

  bmp_spec t;
  t.header_size = 12;
  t.width = W;
  t.height = H;
  t.raw = [](int x, int y) {
    auto c = pattern(x, y);
    return std::uint32_t(c.r) << 16 | std::uint32_t(c.g) << 8 | c.b;
  };
  check_decodes(t, pattern);
}

TEST_CASE("phone-sized 480x272 RGB565", "[lcd][bmp]") {
  bmp_spec s;
  s.bpp = 16;
  s.width = 480;
  s.height = 272;
  s.compression = 3;
  s.masks = {0xF800, 0x07E0, 0x001F};
  s.raw = [](int x, int y) { return std::uint32_t(y < 20 ? 0x001F : (x / 8 + y) % 2 ? 0xFFFF : 0); };
  check_decodes(s, [](int x, int y) {
    return y < 20 ? rgb{0, 0, 255} : (x / 8 + y) % 2 ? rgb{255, 255, 255} : rgb{0, 0, 0};
  });
}

TEST_CASE("malformed BMP headers are refused", "[lcd][bmp]") {
  bmp_spec good;
  good.width = 4;
  good.height = 2;
  good.raw = [](int, int) { return 0x123456u; };
  auto base = build_bmp(good);
  REQUIRE(std::holds_alternative<image>(decode_bmp(base)));

  auto patched = [&](std::size_t at, std::uint32_t v, int bytes = 4) {
    auto b = base;
    for (int i = 0; i < bytes; ++i) b[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
    return b;
  };

  CHECK(error_of("") == "too short for a BMP header");
  CHECK(error_of("BM") == "too short for a BMP header");
  CHECK(error_of("XM" + base.substr(2)).find("signature") != std::string::npos);
  CHECK(error_of(patched(14, 0)).find("header size 0") != std::string::npos);
  CHECK(error_of(patched(14, 64)).find("header size 64") != std::string::npos);
  CHECK(error_of(patched(14, 0xFFFFFFFF)).find("header size") != std::string::npos);
  CHECK(error_of(base.substr(0, 30)) == "truncated BMP header");
  CHECK(error_of(patched(18, 0)).find("bad BMP size") != std::string::npos);
  CHECK(error_of(patched(18, 0x80000000)).find("bad BMP size") != std::string::npos);
  CHECK(error_of(patched(22, 0)).find("bad BMP size") != std::string::npos);
  CHECK(error_of(patched(22, 0x80000000)).find("too large") != std::string::npos); // INT32_MIN
  CHECK(error_of(patched(18, 4097)).find("too large") != std::string::npos);
  CHECK(error_of(patched(22, 5000)).find("too large") != std::string::npos);
  CHECK(error_of(patched(26, 2, 2)).find("planes") != std::string::npos);
  CHECK(error_of(patched(28, 7, 2)).find("bit depth 7") != std::string::npos);
  CHECK(error_of(patched(28, 0, 2)).find("bit depth 0") != std::string::npos);
  CHECK(error_of(patched(30, 1)).find("RLE") != std::string::npos);
  CHECK(error_of(patched(30, 2)).find("RLE") != std::string::npos);
  CHECK(error_of(patched(30, 4)).find("JPEG/PNG") != std::string::npos);
  CHECK(error_of(patched(30, 5)).find("JPEG/PNG") != std::string::npos);
  CHECK(error_of(patched(30, 99)).find("unknown BMP compression") != std::string::npos);
  CHECK(error_of(patched(30, 3)).find("bit fields need 16 or 32") != std::string::npos);
  CHECK(error_of(patched(10, 20)) == "BMP pixel data offset inside the headers");
  CHECK(error_of(patched(10, 0xFFFFFFF0)) == "truncated BMP pixel data");
  CHECK(error_of(patched(10, 55)) == "truncated BMP pixel data");
}

TEST_CASE("bad bit-field masks and palettes are refused", "[lcd][bmp]") {
  bmp_spec s;
  s.bpp = 16;
  s.width = 3;
  s.height = 2;
  s.compression = 3;
  s.raw = [](int, int) { return 0u; };
  s.masks = {0xF00F, 0x07E0, 0x001F};
  CHECK(error_of(build_bmp(s)) == "non-contiguous BMP colour mask");
  s.masks = {0x1F0000, 0x07E0, 0x001F};
  CHECK(error_of(build_bmp(s)).find("wider than 16 bits") != std::string::npos);
  s.masks = {0xF800, 0x07E0}; // one mask short: the pixel data is taken for it, then truncated
  CHECK_FALSE(error_of(build_bmp(s)).empty());

  bmp_spec p;
  p.bpp = 8;
  p.width = 3;
  p.height = 2;
  p.raw = [](int, int) { return 0u; };
  CHECK(error_of(build_bmp(p)) == "BMP palette missing");
}

TEST_CASE("every truncation of a valid BMP is an error", "[lcd][bmp]") {
  for (std::uint16_t bpp : {1, 4, 8, 16, 24, 32}) {
    bmp_spec s;
    s.bpp = bpp;
    s.width = 5;
    s.height = 3;
    if (bpp <= 8) s.palette = std::vector<rgb>(palette16.begin(), palette16.begin() + (bpp == 1 ? 2 : 16));
    s.raw = [bpp](int x, int) { return bpp == 1 ? std::uint32_t(x % 2) : std::uint32_t(x); };
    auto bytes = build_bmp(s);
    REQUIRE(std::holds_alternative<image>(decode_bmp(bytes)));
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      // A copy of exactly n bytes, so any over-read is a heap overflow under ASan.
      std::unique_ptr<char[]> copy(new char[n ? n : 1]);
      std::memcpy(copy.get(), bytes.data(), n);
      INFO("bpp " << bpp << " length " << n);
      CHECK_FALSE(error_of(std::string_view(copy.get(), n)).empty());
    }
  }
}

TEST_CASE("random corruption never crashes", "[lcd][bmp]") {
  bmp_spec s;
  s.bpp = 8;
  s.width = 9;
  s.height = 5;
  s.palette = palette16;
  s.raw = [](int x, int y) { return std::uint32_t((x + y) % 16); };
  auto base = build_bmp(s);
  std::uint64_t state = 0x1234567;
  auto next = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::uint32_t>(state >> 33);
  };
  int decoded = 0;
  for (int round = 0; round < 3000; ++round) {
    auto b = base;
    // Corrupt header bytes mostly: that is where lengths and offsets live.
    for (int i = 0, n = 1 + next() % 4; i < n; ++i) b[next() % 70] = static_cast<char>(next());
    auto r = decode_bmp(b);
    if (auto* img = std::get_if<image>(&r)) {
      ++decoded;
      CHECK(img->valid());
      CHECK(img->width <= max_bmp_side);
      CHECK(img->height <= max_bmp_side);
    } else {
      CHECK_FALSE(std::get<decode_error>(r).text.empty());
    }
  }
  CHECK(decoded > 0);
}

TEST_CASE("decode_bmp_update: the next dump decodes to what a full decode gives", "[lcd][bmp]") {
  // Frame 0 and frame 1 differ in rows 2 and 5 only; frame 2 is another size.
  auto pattern_at = [](int frame) {
    return [frame](int x, int y) {
      auto c = pattern(x, y);
      if (frame == 1 && (y == 2 || y == 5)) c.g = static_cast<std::uint8_t>(c.g ^ 0xA5);
      return c;
    };
  };
  auto spec_for = [&](std::uint16_t bpp, bool top_down, int frame, int width) {
    bmp_spec s;
    s.bpp = bpp;
    s.width = width;
    s.height = H;
    s.top_down = top_down;
    auto px = pattern_at(frame);
    if (bpp == 8) {
      s.palette = palette16;
      s.raw = [frame](int x, int y) { return std::uint32_t((x + y + (frame == 1 && y == 2 ? 3 : 0)) % 16); };
    } else if (bpp == 16) {
      s.raw = [px](int x, int y) {
        auto c = px(x, y);
        return std::uint32_t((c.r >> 3) << 10 | (c.g >> 3) << 5 | (c.b >> 3));
      };
    } else {
      s.raw = [px](int x, int y) {
        auto c = px(x, y);
        return std::uint32_t(c.r) << 16 | std::uint32_t(c.g) << 8 | c.b;
      };
    }
    return s;
  };
  for (std::uint16_t bpp : {8, 16, 24}) {
    for (bool top_down : {false, true}) {
      INFO("bpp " << bpp << (top_down ? " top-down" : " bottom-up"));
      auto raw0 = build_bmp(spec_for(bpp, top_down, 0, W));
      auto raw1 = build_bmp(spec_for(bpp, top_down, 1, W));
      auto raw2 = build_bmp(spec_for(bpp, top_down, 2, W + 3));
      auto img0 = require_image(decode_bmp(raw0));
      // Changed rows: the update equals the full decode, and it did differ from frame 0.
      auto updated = require_image(decode_bmp_update(raw1, raw0, &img0));
      auto full1 = require_image(decode_bmp(raw1));
      CHECK(updated.rgb == full1.rgb);
      CHECK(updated.rgb != img0.rgb);
      // Another size, no previous picture, or a picture that does not belong to the bytes'
      // layout: a full decode.
      auto resized = require_image(decode_bmp_update(raw2, raw1, &full1));
      CHECK(resized.width == W + 3);
      CHECK(resized.rgb == require_image(decode_bmp(raw2)).rgb);
      CHECK(require_image(decode_bmp_update(raw1, "", nullptr)).rgb == full1.rgb);
      CHECK(require_image(decode_bmp_update(raw1, raw0, &resized)).rgb == full1.rgb);
      // A bad dump is refused as decode_bmp refuses it.
      auto bad = decode_bmp_update(raw1.substr(0, 20), raw0, &img0);
      CHECK(std::holds_alternative<decode_error>(bad));
    }
  }
  // The same size with another palette: the headers differ, so every row is decoded again.
  auto spec8 = spec_for(8, false, 0, W);
  auto raw_a = build_bmp(spec8);
  spec8.palette[0] = {9, 9, 9};
  spec8.palette[5] = {200, 1, 2};
  auto raw_b = build_bmp(spec8);
  auto img_a = require_image(decode_bmp(raw_a));
  CHECK(require_image(decode_bmp_update(raw_b, raw_a, &img_a)).rgb == require_image(decode_bmp(raw_b)).rgb);
}
