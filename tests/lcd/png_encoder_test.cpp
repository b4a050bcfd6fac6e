// PNG encoding round trips (decoded back with libpng) and the full/delta frame choice.
#include "services/phone-session/lcd/diff.hpp"
#include "services/phone-session/lcd/frame_encoder.hpp"
#include "services/phone-session/lcd/png_encoder.hpp"

#include <catch2/catch.hpp>
#include <png.h>

using namespace mpk::lcd;

namespace {

/// Decodes a PNG with libpng's simplified API into 8-bit RGB.
image decode_png(const std::string& bytes) {
  png_image p{};
  p.version = PNG_IMAGE_VERSION;
  REQUIRE(png_image_begin_read_from_memory(&p, bytes.data(), bytes.size()) != 0);
  p.format = PNG_FORMAT_RGB;
  image out;
  out.width = p.width;
  out.height = p.height;
  out.rgb.resize(PNG_IMAGE_SIZE(p));
  REQUIRE(png_image_finish_read(&p, nullptr, out.rgb.data(), 0, nullptr) != 0);
  return out;
}

/// A phone-like screen: flat background, a title bar and "text" strokes.
image screen(std::uint32_t w, std::uint32_t h, int seed = 0) {
  image img;
  img.width = w;
  img.height = h;
  img.rgb.resize(static_cast<std::size_t>(w) * h * 3);
  for (std::uint32_t y = 0; y < h; ++y)
    for (std::uint32_t x = 0; x < w; ++x) {
      auto* p = img.rgb.data() + (static_cast<std::size_t>(y) * w + x) * 3;
      bool bar = y < 24;
      bool ink = y > 40 && (y / 20) % 2 == 0 && ((x * 7 + y * 3 + seed) % 11) < 3;
      p[0] = bar ? 30 : ink ? 0 : 240;
      p[1] = bar ? 60 : ink ? 0 : 240;
      p[2] = bar ? 160 : ink ? 0 : static_cast<std::uint8_t>(235 + x % 3);
    }
  return img;
}

image crop(const image& img, const rect& r) {
  image out;
  out.width = r.w;
  out.height = r.h;
  for (std::uint32_t y = r.y; y < r.y + r.h; ++y) {
    auto* row = img.rgb.data() + (static_cast<std::size_t>(y) * img.width + r.x) * 3;
    out.rgb.insert(out.rgb.end(), row, row + r.w * 3);
  }
  return out;
}

} // namespace

TEST_CASE("full PNG round-trips pixel for pixel", "[lcd][png]") {
  auto img = screen(320, 240);
  for (auto options : {png_options{}, png_options{6, false}, png_options{0, true}, png_options{42, false}}) {
    auto png = encode_png(img, full_rect(img), options);
    REQUIRE(png.size() > 8);
    CHECK(png.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
    auto back = decode_png(png);
    CHECK(back.width == 320);
    CHECK(back.height == 240);
    CHECK(back.rgb == img.rgb);
  }
}

TEST_CASE("PNG of a rectangle holds exactly that rectangle", "[lcd][png]") {
  auto img = screen(480, 272, 5);
  rect r{33, 41, 100, 17};
  auto back = decode_png(encode_png(img, r));
  CHECK(back.width == 100);
  CHECK(back.height == 17);
  CHECK(back.rgb == crop(img, r).rgb);
}

TEST_CASE("rectangles are clipped, empty or invalid input gives no PNG", "[lcd][png]") {
  auto img = screen(64, 32);
  auto back = decode_png(encode_png(img, rect{60, 30, 100, 100}));
  CHECK(back.width == 4);
  CHECK(back.height == 2);
  CHECK(back.rgb == crop(img, rect{60, 30, 4, 2}).rgb);
  CHECK(encode_png(img, rect{64, 0, 1, 1}).empty());
  CHECK(encode_png(img, rect{0, 0, 0, 5}).empty());
  CHECK(encode_png(image{}, rect{0, 0, 1, 1}).empty());
  auto broken = img;
  broken.rgb.pop_back();
  CHECK(encode_png(broken, full_rect(broken)).empty());
}

TEST_CASE("first frame and size changes are full frames", "[lcd][frame]") {
  auto a = screen(320, 240);
  auto f = encode_frame(nullptr, a);
  CHECK(f.full);
  CHECK(f.area == rect{0, 0, 320, 240});
  CHECK(decode_png(f.png).rgb == a.rgb);

  auto b = screen(480, 272);
  auto g = encode_frame(&a, b);
  CHECK(g.full);
  CHECK(g.area == rect{0, 0, 480, 272});
  CHECK(decode_png(g.png).rgb == b.rgb);
}

TEST_CASE("unchanged screen gives nothing to send", "[lcd][frame]") {
  auto a = screen(320, 240);
  auto f = encode_frame(&a, a);
  CHECK_FALSE(f.full);
  CHECK(f.area.empty());
  CHECK(f.png.empty());
}

TEST_CASE("small change is a delta that patches the previous frame", "[lcd][frame]") {
  auto a = screen(480, 272);
  auto b = a;
  // One line of new text.
  for (std::uint32_t x = 40; x < 200; ++x)
    for (std::uint32_t y = 100; y < 114; ++y)
      if ((x + y) % 4 == 0) b.rgb[(y * 480 + x) * 3] = 1;
  auto f = encode_frame(&a, b);
  REQUIRE_FALSE(f.full);
  CHECK(f.area == diff(a, b));
  auto patch = decode_png(f.png);
  REQUIRE(patch.width == f.area.w);
  REQUIRE(patch.height == f.area.h);
  // Applying the delta to the previous frame gives the new one.
  auto applied = a;
  for (std::uint32_t y = 0; y < patch.height; ++y)
    std::copy_n(patch.rgb.data() + y * patch.width * 3, patch.width * 3,
                applied.rgb.data() + ((f.area.y + y) * 480 + f.area.x) * 3);
  CHECK(applied.rgb == b.rgb);
  auto full = encode_png(b, full_rect(b));
  CHECK(f.png.size() < full.size());
}

TEST_CASE("change over more than half the screen is a full frame", "[lcd][frame]") {
  auto a = screen(320, 240);
  auto b = a;
  b.rgb[0] ^= 1;                     // top-left
  b.rgb[(200 * 320 + 250) * 3] ^= 1; // far corner: box 251x201 > half of 320x240
  auto f = encode_frame(&a, b);
  CHECK(f.full);
  CHECK(f.area == rect{0, 0, 320, 240});
  auto c = a;
  c.rgb[0] ^= 1;
  c.rgb[(100 * 320 + 100) * 3] ^= 1; // box 101x101: a delta
  auto g = encode_frame(&a, c);
  CHECK_FALSE(g.full);
  CHECK(g.area == rect{0, 0, 101, 101});
}
