// Registration XML: the simulated phone's output read back by the phone-session's parser.

#include "common/models/device_info.hpp"
#include "common/models/registrations.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace mpk::models;

namespace {
std::vector<registration> four_states() {
  registration up{0, "up", "on", "SIP", "101", "Alice & <Bob>", "pbx.example.com", "", true};
  registration none{1, "down", "on", "", "", "", "", "", false};
  registration off{2, "up", "off", "H323", "102", "O'Neil \"Jr\"", "10.0.0.1", "", true};
  registration bad{3, "unauthorized", "on", "SIP", "103", "Zoë", "pbx.example.com", "wrong password", true};
  return {up, none, off, bad};
}
} // namespace

TEST_CASE("registrations round-trip with all four colours") {
  auto regs = four_states();
  auto xml = format_registrations_xml(regs);
  CHECK(xml.find("Alice &amp; &lt;Bob&gt;") != std::string::npos);
  std::string err;
  auto back = parse_registrations_xml(xml, err);
  INFO(err);
  REQUIRE(back);
  REQUIRE(back->size() == 4);
  for (size_t i = 0; i < 4; ++i) {
    CHECK((*back)[i].id == regs[i].id);
    CHECK((*back)[i].state == regs[i].state);
    CHECK((*back)[i].enable == regs[i].enable);
    CHECK((*back)[i].protocol == regs[i].protocol);
    CHECK((*back)[i].number == regs[i].number);
    CHECK((*back)[i].name == regs[i].name);
    CHECK((*back)[i].gatekeeper == regs[i].gatekeeper);
    CHECK((*back)[i].error == regs[i].error);
    CHECK((*back)[i].configured == regs[i].configured);
  }
  CHECK(classify((*back)[0]) == reg_color::registered);
  CHECK(classify((*back)[1]) == reg_color::not_configured);
  CHECK(classify((*back)[2]) == reg_color::disabled);
  CHECK(classify((*back)[3]) == reg_color::failed);
  CHECK(to_string(reg_color::registered) == "registered");
  CHECK(to_string(reg_color::not_configured) == "not-configured");
  CHECK(to_string(reg_color::disabled) == "disabled");
  CHECK(to_string(reg_color::failed) == "failed");
}

TEST_CASE("classify follows the state rules") {
  registration r{0, "timeout", "on", "SIP", "1", "", "gk", "", true};
  CHECK(classify(r) == reg_color::failed);
  r.state = "rejected";
  CHECK(classify(r) == reg_color::failed);
  r.state = "up";
  CHECK(classify(r) == reg_color::registered);
  r.enable = "off";
  CHECK(classify(r) == reg_color::disabled);
  r.configured = false;
  CHECK(classify(r) == reg_color::not_configured);
}

TEST_CASE("registration parser accepts the usual variants") {
  std::string err;
  auto a = parse_registrations_xml("<regs/>", err);
  REQUIRE(a);
  CHECK(a->empty());
  auto b = parse_registrations_xml(
    "  <?xml version='1.0'?>\n<!-- status --><regs>\n<reg id='7' state='up' enable='on' prot='SIP' "
    "gk-addr='x' extra='ignored'></reg></regs>\n",
    err);
  INFO(err);
  REQUIRE(b);
  REQUIRE(b->size() == 1);
  CHECK((*b)[0].id == 7);
  CHECK((*b)[0].configured);
  auto c = parse_registrations_xml("<regs><reg id=\"0\" h323=\"&#65;&#x42;&#x20AC;\"/></regs>", err);
  REQUIRE(c);
  CHECK((*c)[0].name == "AB€");
  CHECK_FALSE((*c)[0].configured);
}

TEST_CASE("registration parser refuses malformed input with a message") {
  const char* bad[] = {
    "",
    "<reg id=\"0\"/>",
    "<regs>",
    "<regs><reg/></regs>",
    "<regs><reg id=\"x\"/></regs>",
    "<regs><reg id=\"1234\"/></regs>",
    "<regs><reg id=\"1\"/><reg id=\"1\"/></regs>",
    "<regs><reg id=\"1\" id=\"2\"/></regs>",
    "<regs><reg id=\"1\" name=\"a<b\"/></regs>",
    "<regs><reg id=\"1\" name=\"&bogus;\"/></regs>",
    "<regs><reg id=\"1\" name=\"&#0;\"/></regs>",
    "<regs><reg id=\"1\" name=\"&#xD800;\"/></regs>",
    "<regs><reg id=\"1\" name=\"&#99999999;\"/></regs>",
    "<regs><reg id=\"1\" name=\"unterminated/></regs>",
    "<regs><reg id=\"1\"name=\"x\"/></regs>",
    "<regs>text</regs>",
    "<regs></regs><regs/>",
    "<regs><other/></regs>",
    "<regs><reg id=\"1\">x</reg></regs>",
    "<regs><!-- never closed",
    "<regs/><?xml version='1.0'?>",
  };
  for (const char* x : bad) {
    INFO(x);
    std::string err;
    CHECK_FALSE(parse_registrations_xml(x, err));
    CHECK(err.rfind("registrations: ", 0) == 0);
  }
  std::string many = "<regs>";
  for (int i = 0; i < 65; ++i) many += "<reg id=\"" + std::to_string(i) + "\"/>";
  many += "</regs>";
  std::string err;
  CHECK_FALSE(parse_registrations_xml(many, err));
  CHECK(err == "registrations: more than 64 registrations");
}

TEST_CASE("registration parser survives truncation and byte flips") {
  // Every prefix and many random mutations of a valid document: the parser must return
  // (a result or an error) without reading out of bounds; run under MPK_SANITIZE to check.
  auto xml = format_registrations_xml(four_states());
  std::string err;
  size_t accepted = 0;
  for (size_t n = 0; n <= xml.size(); ++n)
    if (parse_registrations_xml(std::string_view(xml).substr(0, n), err)) ++accepted;
  CHECK(accepted >= 1); // the full document (and its copy without the final newline)
  std::mt19937 rng(42);
  for (int i = 0; i < 3000; ++i) {
    std::string m = xml;
    for (int k = 0; k < 3; ++k) m[rng() % m.size()] = static_cast<char>(rng() % 256);
    std::string e;
    auto r = parse_registrations_xml(m, e);
    CHECK((r.has_value() || !e.empty()));
  }
}

TEST_CASE("device info round-trip") {
  device_info d{"IP232", "13r2 sr1 [13.4250/131286/1300]", "009033020202", "Desk <Alice>", "10.0.0.12", "101"};
  std::string err;
  auto back = parse_info_xml(format_info_xml(d), err);
  INFO(err);
  REQUIRE(back);
  CHECK(back->product == d.product);
  CHECK(back->version == d.version);
  CHECK(back->hw_id == d.hw_id);
  CHECK(back->name == d.name);
  CHECK(back->ip == d.ip);
  CHECK(back->number == d.number);
  CHECK_FALSE(parse_info_xml("<info/>", err));
  CHECK(err == "info: product missing");
  CHECK_FALSE(parse_info_xml("<info product=\"x\"/><x/>", err));
}
