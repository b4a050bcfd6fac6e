// PC keyboard layouts resolve to the characters the admin typed.

#include "common/models/keyboard_layouts.hpp"

#include <catch2/catch.hpp>

using namespace mpk::models;

namespace {
const keyboard_layouts& kb() {
  static const keyboard_layouts k = [] {
    std::string err;
    auto l = keyboard_layouts::load(MPK_MODELS_DIR, err);
    INFO(err);
    REQUIRE(l);
    return *l;
  }();
  return k;
}
} // namespace

TEST_CASE("three layouts with titles and on-screen rows") {
  CHECK(kb().names() == std::vector<std::string>{"qwerty", "qwertz", "azerty"});
  CHECK(kb().title("qwertz") == "German (QWERTZ)");
  CHECK(kb().title("dvorak").empty());
  REQUIRE(kb().rows().size() == 5);
  CHECK(kb().rows()[1].front() == "KeyQ");
  CHECK(kb().rows()[4] == std::vector<std::string>{"Space"});
  // Every code of the on-screen keyboard resolves on every layout.
  for (const auto& layout : kb().names())
    for (const auto& row : kb().rows())
      for (const auto& code : row) CHECK(kb().resolve(layout, code, false, false));
}

TEST_CASE("US QWERTY") {
  CHECK(kb().resolve("qwerty", "KeyY", false, false) == "y");
  CHECK(kb().resolve("qwerty", "KeyA", true, false) == "A");
  CHECK(kb().resolve("qwerty", "Digit2", true, false) == "@");
  CHECK(kb().resolve("qwerty", "Quote", true, false) == "\"");
  CHECK(kb().resolve("qwerty", "KeyQ", false, true) == ""); // no AltGr layer
}

TEST_CASE("German QWERTZ") {
  CHECK(kb().resolve("qwertz", "KeyY", false, false) == "z");
  CHECK(kb().resolve("qwertz", "KeyZ", true, false) == "Y");
  CHECK(kb().resolve("qwertz", "KeyQ", false, true) == "@");
  CHECK(kb().resolve("qwertz", "KeyE", false, true) == "€");
  CHECK(kb().resolve("qwertz", "Digit2", true, false) == "\"");
  CHECK(kb().resolve("qwertz", "Digit2", false, true) == "²");
  CHECK(kb().resolve("qwertz", "Digit7", true, false) == "/");
  CHECK(kb().resolve("qwertz", "Minus", false, false) == "ß");
  CHECK(kb().resolve("qwertz", "Semicolon", true, false) == "Ö");
  CHECK(kb().resolve("qwertz", "IntlBackslash", false, true) == "|");
}

TEST_CASE("French AZERTY") {
  CHECK(kb().resolve("azerty", "KeyQ", false, false) == "a");
  CHECK(kb().resolve("azerty", "KeyA", true, false) == "Q");
  CHECK(kb().resolve("azerty", "KeyW", false, false) == "z");
  CHECK(kb().resolve("azerty", "Semicolon", false, false) == "m");
  CHECK(kb().resolve("azerty", "KeyM", false, false) == ",");
  CHECK(kb().resolve("azerty", "KeyM", true, false) == "?");
  CHECK(kb().resolve("azerty", "Digit1", false, false) == "&");
  CHECK(kb().resolve("azerty", "Digit1", true, false) == "1");
  CHECK(kb().resolve("azerty", "Digit2", false, false) == "é");
  CHECK(kb().resolve("azerty", "Digit0", false, true) == "@");
}

TEST_CASE("unknown layouts and codes") {
  CHECK_FALSE(kb().resolve("dvorak", "KeyA", false, false));
  CHECK_FALSE(kb().resolve("qwerty", "F13", false, false));
  CHECK_FALSE(kb().resolve("qwerty", "", false, false));
  std::string err;
  CHECK_FALSE(keyboard_layouts::load("/nonexistent-mpk-dir", err));
  CHECK(err == "keyboards.json: cannot read file");
}
