// Dirty-rectangle search and the unchanged raw-dump check.
#include "services/phone-session/lcd/diff.hpp"
#include "services/phone-session/lcd/last_dump.hpp"

#include <catch2/catch.hpp>

using namespace mpk::lcd;

namespace {

image flat(std::uint32_t w, std::uint32_t h, std::uint8_t v = 200) {
  image img;
  img.width = w;
  img.height = h;
  img.rgb.assign(static_cast<std::size_t>(w) * h * 3, v);
  return img;
}

void poke(image& img, std::uint32_t x, std::uint32_t y, int channel = 0) {
  img.rgb[(static_cast<std::size_t>(y) * img.width + x) * 3 + channel] ^= 0x01;
}

} // namespace

TEST_CASE("identical images give an empty rect", "[lcd][diff]") {
  auto a = flat(320, 240);
  CHECK(diff(a, a).empty());
  CHECK(diff(a, a) == rect{});
}

TEST_CASE("one changed pixel gives a 1x1 rect", "[lcd][diff]") {
  auto a = flat(320, 240);
  for (auto [x, y] : {std::pair<std::uint32_t, std::uint32_t>{0, 0}, {319, 239}, {17, 100}}) {
    auto b = a;
    poke(b, x, y, 2); // the blue byte: the last byte of the pixel
    CHECK(diff(a, b) == rect{x, y, 1, 1});
  }
}

TEST_CASE("bounding box spans changes on several rows", "[lcd][diff]") {
  auto a = flat(480, 272);
  auto b = a;
  poke(b, 100, 50);
  poke(b, 20, 60);
  poke(b, 300, 61, 1);
  CHECK(diff(a, b) == rect{20, 50, 281, 12});
  // A changed line of text: one band across the screen.
  auto c = a;
  for (std::uint32_t x = 10; x < 470; ++x)
    for (std::uint32_t y = 200; y < 216; ++y) poke(c, x, y);
  CHECK(diff(a, c) == rect{10, 200, 460, 16});
}

TEST_CASE("different sizes or broken buffers give the whole new image", "[lcd][diff]") {
  auto a = flat(320, 240);
  auto b = flat(480, 272);
  CHECK(diff(a, b) == rect{0, 0, 480, 272});
  auto broken = a;
  broken.rgb.resize(10);
  CHECK(diff(broken, a) == rect{0, 0, 320, 240});
  CHECK(diff(a, broken) == rect{0, 0, 320, 240});
  CHECK(diff(image{}, image{}).empty());
}

TEST_CASE("last dump: only a byte-identical dump counts as unchanged", "[lcd][last_dump]") {
  std::string dump(320 * 240 * 2 + 70, 'x');
  last_dump last;
  CHECK(last.empty());
  CHECK_FALSE(last.same_as(dump)); // nothing kept yet: the first dump is a change
  last.keep(dump);
  CHECK_FALSE(last.empty());
  CHECK(last.same_as(dump));
  // A single flipped bit anywhere, including the first and last byte, is a change.
  for (std::size_t pos : {std::size_t{0}, std::size_t{7}, dump.size() / 2, dump.size() - 1}) {
    auto copy = dump;
    copy[pos] ^= 0x01;
    CHECK_FALSE(last.same_as(copy));
  }
  // A dump that is a prefix of the kept one, or longer, is a change.
  CHECK_FALSE(last.same_as(std::string_view(dump).substr(0, dump.size() - 1)));
  CHECK_FALSE(last.same_as(dump + '\0'));
  // After forget() even the same bytes are a change (the phone came back: send a full frame).
  last.forget();
  CHECK(last.empty());
  CHECK_FALSE(last.same_as(dump));
  // An empty dump can be kept and compared like any other.
  last.keep("");
  CHECK(last.same_as(""));
  CHECK_FALSE(last.same_as("x"));
}
