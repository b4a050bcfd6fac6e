// The function keys answer: what the simulated phone writes, what the phone session reads, in
// our [inf] form and in a candidate's other names.
#include "common/models/function_keys.hpp"

#include <catch2/catch.hpp>

using namespace mpk::models;

TEST_CASE("function keys: our form round trips, LEDs and colours normalised") {
  std::vector<function_key_state> keys{
    {1, "Partner \"A\" & B", "on", "green"}, {2, "", "off", ""}, {16, "Queue", "blink", "red"}};
  auto xml = format_function_keys_xml(keys);
  CHECK(xml.find("<key n=\"1\" label=\"Partner &quot;A&quot; &amp; B\" led=\"on\" color=\"green\"/>") !=
        std::string::npos);
  std::string err;
  auto back = parse_function_keys_xml(xml, function_keys_format{}, err);
  REQUIRE(back);
  REQUIRE(back->size() == 3);
  CHECK((*back)[0].label == "Partner \"A\" & B");
  CHECK((*back)[0].led == "on");
  CHECK((*back)[0].colour == "green");
  CHECK((*back)[1].led == "off");
  CHECK((*back)[2].n == 16);
  CHECK((*back)[2].led == "blink");

  auto odd = parse_function_keys_xml(R"(<keys><key n="3" led="disco" color="purple"/><key n="4"></key></keys>)",
                                     function_keys_format{}, err);
  REQUIRE(odd);
  CHECK((*odd)[0].led == "off");   // an unknown LED value reads as off
  CHECK((*odd)[0].colour.empty()); // an unknown colour as none
  CHECK((*odd)[1].led.empty());    // not reported
  CHECK(parse_function_keys_xml("<keys/>", function_keys_format{}, err)->empty());
}

TEST_CASE("function keys: a candidate's format names other parts") {
  auto f = function_keys_format::from({{"root", ""},
                                       {"item", "function-key"},
                                       {"n", "key"},
                                       {"nBase", "0"},
                                       {"label", "name"},
                                       {"led", "lamp"},
                                       {"on", "on,1"},
                                       {"flash", "fast"}});
  std::string err;
  auto keys = parse_function_keys_xml(
    R"(<?xml version="1.0"?><functionkeys><function-key key="0" name="Alice" lamp="1"/><function-key key="2" name="" lamp="fast"/></functionkeys>)",
    f, err);
  REQUIRE(keys);
  CHECK((*keys)[0].n == 1);
  CHECK((*keys)[0].label == "Alice");
  CHECK((*keys)[0].led == "on");
  CHECK((*keys)[1].n == 3);
  CHECK((*keys)[1].led == "flash");
  // What the simulator writes in that format reads back the same.
  auto again = parse_function_keys_xml(format_function_keys_xml(*keys, f), f, err);
  REQUIRE(again);
  CHECK((*again)[1].n == 3);
  CHECK((*again)[1].led == "flash");
}

TEST_CASE("function keys: what is not such a list is refused with the reason") {
  const std::pair<const char*, const char*> bad[] = {
    {"", "empty document"},
    {"<regs/>", "expected <keys>"},
    {"<keys><key label=\"x\"/></keys>", "without n"},
    {"<keys><key n=\"x\"/></keys>", "bad key number"},
    {"<keys><key n=\"0\"/></keys>", "bad key number"},
    {"<keys><key n=\"1\"/><key n=\"1\"/></keys>", "duplicate key number 1"},
    {"<keys><other/></keys>", "unexpected <other>"},
    {"<keys><key n=\"1\">text</key></keys>", ""},
    {"<keys>", "missing </keys>"},
    {"<keys/><keys/>", "content after"},
  };
  for (const auto& [xml, why] : bad) {
    INFO(xml);
    std::string err;
    CHECK_FALSE(parse_function_keys_xml(xml, function_keys_format{}, err));
    CHECK(err.rfind("function keys: ", 0) == 0);
    CHECK(err.find(why) != std::string::npos);
  }
  std::string many = "<keys>";
  for (int i = 1; i <= 129; ++i) many += "<key n=\"" + std::to_string(i) + "\"/>";
  many += "</keys>";
  std::string err;
  CHECK_FALSE(parse_function_keys_xml(many, function_keys_format{}, err));
  CHECK(err.find("more than 128 keys") != std::string::npos);
}
