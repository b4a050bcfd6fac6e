// Dirty-rectangle search and raw-dump fingerprints.
#include "services/phone-session/lcd/diff.hpp"
#include "services/phone-session/lcd/fingerprint.hpp"

#include <catch2/catch.hpp>

#include <set>

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

}  // namespace

TEST_CASE("identical images give an empty rect", "[lcd][diff]") {
  auto a = flat(320, 240);
  CHECK(diff(a, a).empty());
  CHECK(diff(a, a) == rect{});
}

TEST_CASE("one changed pixel gives a 1x1 rect", "[lcd][diff]") {
  auto a = flat(320, 240);
  for (auto [x, y] : {std::pair<std::uint32_t, std::uint32_t>{0, 0}, {319, 239}, {17, 100}}) {
    auto b = a;
    poke(b, x, y, 2);  // the blue byte: the last byte of the pixel
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
    for (std::uint32_t y = 200; y < 216; ++y)
      poke(c, x, y);
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

TEST_CASE("fingerprint is stable and sensitive", "[lcd][fingerprint]") {
  std::string dump(320 * 240 * 2 + 70, 'x');
  auto h = fingerprint(dump);
  CHECK(fingerprint(dump) == h);
  std::set<std::uint64_t> seen{h};
  // Each single-bit flip (at spread positions, including the unaligned tail) changes the hash.
  for (std::size_t pos : {std::size_t{0}, std::size_t{7}, std::size_t{8}, dump.size() / 2,
                          dump.size() - 1}) {
    auto copy = dump;
    copy[pos] ^= 0x01;
    CHECK(seen.insert(fingerprint(copy)).second);
  }
  // Length matters even when the extra bytes are zero.
  CHECK(fingerprint(std::string(5, '\0')) != fingerprint(std::string(6, '\0')));
  CHECK(fingerprint(std::string(8, '\0')) != fingerprint(std::string(16, '\0')));
  CHECK(fingerprint("") == fingerprint(""));
}
