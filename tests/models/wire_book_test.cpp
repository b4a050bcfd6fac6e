// Wire candidates in the built-in data, and operators' wire files merged over it.

#include "common/models/catalog.hpp"
#include "common/models/device_info.hpp"
#include "common/models/registrations.hpp"
#include "common/models/wire_book.hpp"
#include "common/models/wire_entries.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>

using namespace mpk::models;

namespace {

const catalog& cat() {
  static const catalog c = [] {
    std::string err;
    auto loaded = catalog::load(MPK_MODELS_DIR, err);
    INFO(err);
    REQUIRE(loaded);
    return *loaded;
  }();
  return c;
}

/// The error of a wire file that must be refused.
std::string refused(const std::string& json) {
  std::string err;
  auto b = wire_book::parse(cat(), json, "site.json", err);
  CHECK_FALSE(b);
  return err;
}

} // namespace

TEST_CASE("the built-in data offers several candidates per searched entry, each with its source", "[wire]") {
  const model& m = *cat().get("IP222");
  for (const auto& rule : wire_entry_rules()) {
    INFO(rule.name);
    const wire_entry* e = m.wire.entry(rule.name);
    REQUIRE(e);
    REQUIRE_FALSE(e->candidates.empty());
    if (rule.searched && rule.name != "command") CHECK(e->candidates.size() >= 2);
    for (const auto& c : e->candidates) {
      INFO(c.form);
      CHECK_FALSE(c.source.empty());
      CHECK(c.form.front() == '/');
    }
  }
  CHECK(m.wire.form("lcd") == "/lcd_dump.bmp");
  CHECK(m.wire.form("command") == "/!{command}");
  // The old accessors name the first candidate.
  CHECK(cat().lcd_path(m) == m.wire.form("lcd"));
  CHECK(find_wire_rule("key")->acts);
  CHECK_FALSE(find_wire_rule("lcd")->acts);
  CHECK_FALSE(find_wire_rule("command")->searched);
  CHECK(find_wire_rule("nope") == nullptr);
}

TEST_CASE("a key candidate renders with its own key codes over the shared ones", "[wire]") {
  std::string err;
  auto b = wire_book::parse(cat(), R"({"models": {"IP222": {"key": [
      {"form": "/PHONE/APP/mod_cmd.xml?cmd=xml-key&key={code}", "source": "first"},
      {"form": "/KEYS/press?k={code}&t={holdMs}", "source": "site", "keyCodes": {"SPEAKER": "LS", "D1": "one"}}]}}})",
                            "site.json", err);
  INFO(err);
  REQUIRE(b);
  const model& m = *cat().get("IP222");
  auto w = b->find("ip222");
  REQUIRE(w);
  const wire_candidate& second = *w->candidate("key", 1);
  CHECK(cat().key_request(m, *w, second, "SPEAKER", 300, err) == std::optional<std::string>("/KEYS/press?k=LS&t=300"));
  CHECK(cat().key_request(m, *w, second, "D2", 0, err) == std::optional<std::string>("/KEYS/press?k=2&t=0"));
  CHECK(cat().key_request(m, *w, *w->candidate("key", 0), "SPEAKER", 0, err) ==
        std::optional<std::string>("/PHONE/APP/mod_cmd.xml?cmd=xml-key&key=spk"));
  CHECK(m.key_id_for_code("LS", *w, second) == std::optional<std::string>("SPEAKER"));
  CHECK_FALSE(m.key_id_for_code("spk", *w, second));
  CHECK(b->changed() == std::vector<std::string>{"IP222"});
  CHECK(b->find("IP232")->form("key") == m.wire.form("key"));
}

TEST_CASE("a wire file applies wire, then family, then model sections", "[wire]") {
  std::string err;
  auto b = wire_book::parse(cat(), R"({
      "about": "IP2x2 on 13r3, found with mpk-wirecheck",
      "wire": {"info": "/SITE/info.xml"},
      "families": {"IP2x2": {"lcd": "/FAMILY/lcd.bmp"}},
      "models": {"IP232": {"lcd": {"form": "/MODEL/lcd.bmp", "source": "seen in the admin log"}},
                 "ip222": {"actions": {"reboot": null, "site-reset": "/!reset"}}}})",
                            "site.json", err);
  INFO(err);
  REQUIRE(b);
  CHECK(b->origin() == "site.json");
  CHECK(b->about() == "IP2x2 on 13r3, found with mpk-wirecheck");
  CHECK(b->find("IP232")->form("lcd") == "/MODEL/lcd.bmp");
  CHECK(b->find("IP232")->candidate("lcd")->source == "seen in the admin log");
  CHECK(b->find("IP222A")->form("lcd") == "/FAMILY/lcd.bmp");
  CHECK(b->find("IP222A")->entry("lcd")->candidates.size() == 1);
  CHECK(b->find("IP112")->form("lcd") == "/lcd_dump.bmp");
  CHECK(b->find("IP112")->form("info") == "/SITE/info.xml");
  auto actions = cat().action_names(*b->find("IP222"));
  CHECK(std::find(actions.begin(), actions.end(), "reboot") == actions.end());
  CHECK(std::find(actions.begin(), actions.end(), "site-reset") != actions.end());
  CHECK(b->changed().size() == cat().products().size()); // "wire" reaches every model
  CHECK(wire_book::built_in(cat()).find("IP232")->form("lcd") == "/lcd_dump.bmp");
  CHECK(wire_book::built_in(cat()).origin() == "built-in");
  CHECK(wire_book::built_in(cat()).find("IP999") == nullptr);
}

TEST_CASE("bad wire files are refused with the entry named", "[wire]") {
  CHECK(refused("{\"models\": ").rfind("wire file site.json: invalid JSON", 0) == 0);
  CHECK(refused("[]") == "wire file site.json: must be an object");
  CHECK(refused(R"({"models": {"IP232": {"key": "/x?k={code}&f={foo}"}}})") ==
        "wire file site.json: models.IP232.key: unknown placeholder {foo}");
  CHECK(refused(R"({"models": {"IP232": {"key": ["/x?k={code}", "/y?k={kode}"]}}})") ==
        "wire file site.json: models.IP232.key[1]: unknown placeholder {kode}");
  CHECK(refused(R"({"models": {"IP232": {"key": "/x?hold={holdMs}"}}})") ==
        "wire file site.json: models.IP232.key: needs placeholder {code}");
  CHECK(refused(R"({"families": {"IP2x2": {"keyCodes": {"D1": "5"}}}})") ==
        "wire file site.json: families.IP2x2 (for IP222): wire code \"5\" used by two keys (wire.keyCodes)");
  CHECK(refused(R"({"models": {"IP232": {"key": {"form": "/k?c={code}", "keyCodes": {"D2": "1"}}}}})") ==
        "wire file site.json: models.IP232 (for IP232): wire code \"1\" used by two keys (wire.key[0].keyCodes)");
  CHECK(refused(R"({"families": {"IP9x9": {}}})")
          .rfind("wire file site.json: families.IP9x9: unknown family (known: ", 0) == 0);
  CHECK(refused(R"({"models": {"IP999": {}}})") == "wire file site.json: models.IP999: unknown model");
  CHECK(refused(R"({"wire": {"screen": "/x"}})") == "wire file site.json: wire.screen: unknown wire entry");
  CHECK(refused(R"({"phones": {}})") == "wire file site.json: phones: unknown section (about, wire, families, models)");
  CHECK(refused(R"({"wire": {"lcd": []}})") == "wire file site.json: wire.lcd: needs at least one candidate");
  CHECK(refused(R"({"wire": {"lcd": {"source": "x"}}})") == "wire file site.json: wire.lcd.form: missing");
  CHECK(refused(R"({"wire": {"lcd": {"form": "/a", "format": {"item": "x"}}}})") ==
        "wire file site.json: wire.lcd.format.item: entry lcd takes no format");
  CHECK(refused(R"({"wire": {"registrations": {"form": "/r", "format": {"colour": "x"}}}})") ==
        "wire file site.json: wire.registrations.format.colour: unknown format setting");
  CHECK(refused(R"({"wire": {"registrations": {"form": "/r", "format": {"idBase": 2}}}})") ==
        "wire file site.json: wire.registrations.format.idBase: must be 0 or 1");
  CHECK(refused(R"({"wire": {"text": {"form": "/t?x={text}", "keyCodes": {}}}})") ==
        "wire file site.json: wire.text.keyCodes: only key candidates carry keyCodes");
  CHECK(refused(R"({"wire": {"lcd": "lcd_dump.bmp"}})") == "wire file site.json: wire.lcd: must start with '/'");
  std::string err;
  CHECK_FALSE(wire_book::load(cat(), "/nonexistent/site.json", err));
  CHECK(err == "wire file /nonexistent/site.json: cannot read file");
}

TEST_CASE("a wire file is read from disk", "[wire]") {
  auto path = std::filesystem::temp_directory_path() / ("mpk-wire-" + std::to_string(std::random_device{}()) + ".json");
  std::ofstream(path) << R"({"models": {"IP241": {"lcd": "/DISPLAY/screen.bmp"}}})";
  std::string err;
  auto b = wire_book::load(cat(), path.string(), err);
  std::filesystem::remove(path);
  INFO(err);
  REQUIRE(b);
  CHECK(b->find("IP241")->form("lcd") == "/DISPLAY/screen.bmp");
  CHECK(b->changed() == std::vector<std::string>{"IP241"});
}

TEST_CASE("registrations and info answers are read by their candidate's format", "[wire]") {
  wire_format status = {{"root", ""},
                        {"item", "registration"},
                        {"id", "ID"},
                        {"idBase", "1"},
                        {"up", "up,registered"},
                        {"enable", ""},
                        {"protocol", "protocol"},
                        {"number", "number"},
                        {"name", "name"},
                        {"gatekeeper", "gatekeeper-address"}};
  auto f = registrations_format::from(status);
  std::string err;
  auto regs = parse_registrations_xml(
    "<status><registration ID=\"1\" state=\"registered\" protocol=\"SIP\" number=\"101\" name=\"Alice\" "
    "gatekeeper-address=\"pbx\"/><registration ID=\"2\" state=\"timeout\"/></status>",
    f, err);
  INFO(err);
  REQUIRE(regs);
  REQUIRE(regs->size() == 2);
  CHECK((*regs)[0].id == 0);
  CHECK((*regs)[0].state == "up");
  CHECK(classify((*regs)[0]) == reg_color::registered);
  CHECK((*regs)[1].id == 1);
  CHECK(classify((*regs)[1]) == reg_color::not_configured);
  // The default form does not read it, and this form does not read the default one.
  CHECK_FALSE(parse_registrations_xml("<status><registration ID=\"1\"/></status>", err));
  CHECK_FALSE(parse_registrations_xml(format_registrations_xml(*regs), f, err));
  // What a phone of that form serves reads back the same.
  auto again = parse_registrations_xml(format_registrations_xml(*regs, f), f, err);
  REQUIRE(again);
  CHECK((*again)[0].number == "101");
  CHECK((*again)[0].state == "up");
  CHECK_FALSE(parse_registrations_xml("<status><registration ID=\"0\"/></status>", f, err)); // below idBase

  auto i = info_format::from({{"element", ""}, {"hwId", "mac"}});
  auto d = parse_info_xml("<device product=\"IP232\" mac=\"009033000001\"/>", i, err);
  REQUIRE(d);
  CHECK(d->hw_id == "009033000001");
  CHECK_FALSE(parse_info_xml("<device product=\"IP232\"/>", err)); // the default wants <info/>
}
