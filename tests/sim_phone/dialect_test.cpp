// Simulated phones that speak wire dialects (sim/data/wire-dialects.json): another LCD path, key
// form, registrations format, or forms no built-in candidate covers.

#include "common/models/registrations.hpp"
#include "common/models/wire_book.hpp"
#include "sim/phone/phone_web.hpp"

#include <catch2/catch.hpp>

using namespace mpk;
using namespace mpk::sim_phone;

namespace {

const models::catalog& cat() {
  static const models::catalog c = [] {
    std::string err;
    auto loaded = models::catalog::load(MPK_MODELS_DIR, err);
    REQUIRE(loaded);
    return *loaded;
  }();
  return c;
}

const models::wire_book& dialects() {
  static const models::wire_book b = [] {
    std::string err;
    auto loaded = models::wire_book::load(cat(), MPK_SIM_DIALECTS, err);
    INFO(err);
    REQUIRE(loaded);
    return *loaded;
  }();
  return b;
}

phone_web make(const std::string& product) {
  std::string err;
  auto p = phone_web::create(cat(), {"0090334100be", product, "13r2", "Bob", "10.1.2.3", "202"}, err,
                             dialects().find(product));
  REQUIRE(p);
  return std::move(*p);
}

int status(phone_web& p, const std::string& target) { return p.handle({"GET", target, ""}).status; }

} // namespace

TEST_CASE("the shipped dialects load and differ from the first candidates", "[sim_phone][dialect]") {
  const auto& d = dialects();
  CHECK(d.changed() == std::vector<std::string>{"IP112", "IP160", "IP232", "IP241"});
  CHECK(d.find("IP222")->form("lcd") == cat().get("IP222")->wire.form("lcd"));
  // IP112, IP160 and IP232 speak later candidates of the built-in data; IP241 speaks none of them.
  auto built_in = [](const std::string& product, const std::string& entry, const std::string& form) {
    for (const auto& c : cat().get(product)->wire.entry(entry)->candidates)
      if (c.form == form) return true;
    return false;
  };
  for (const char* product : {"IP112", "IP160", "IP232"})
    for (const char* entry : {"lcd", "key"}) {
      INFO(product << " " << entry);
      CHECK(built_in(product, entry, d.find(product)->form(entry)));
      CHECK(d.find(product)->form(entry) != cat().get(product)->wire.form(entry));
    }
  for (const char* entry : {"lcd", "key", "registrations"})
    CHECK_FALSE(built_in("IP241", entry, d.find("IP241")->form(entry)));
}

TEST_CASE("a phone answers only its dialect's forms", "[sim_phone][dialect]") {
  auto ip232 = make("IP232");
  CHECK(status(ip232, "/lcd_dump.bmp") == 404);
  auto lcd = ip232.handle({"GET", "/PHONE/APP/lcd_dump.bmp", ""});
  CHECK(lcd.status == 200);
  CHECK(lcd.content_type == "image/bmp");
  CHECK(status(ip232, "/PHONE/APP/mod_cmd.xml?cmd=xml-key&key=menu&ms=0") == 404);
  CHECK(status(ip232, "/!mod%20cmd%20PHONE/APP%20key%20menu") == 200);
  CHECK(ip232.counters().key_presses.at("menu") == 1);

  // Its registrations in the V9 status-page format: 1-based ids, "registered" for up.
  auto regs = ip232.handle({"GET", "/PHONE/USER-UI/mod_cmd.xml?cmd=xml-reg-status", ""});
  REQUIRE(regs.status == 200);
  CHECK(regs.body.find("<registration ID=\"1\"") != std::string::npos);
  std::string err;
  CHECK_FALSE(models::parse_registrations_xml(regs.body, err));
  auto fmt = models::registrations_format::from(dialects().find("IP232")->candidate("registrations")->format);
  auto parsed = models::parse_registrations_xml(regs.body, fmt, err);
  REQUIRE(parsed);
  CHECK(parsed->front().id == 0);
  CHECK(status(ip232, "/PHONE/USER-UI/mod_cmd.xml?cmd=xml-regs") == 404);

  // IP241: keys by its own codes for a few keys.
  auto ip241 = make("IP241");
  CHECK(status(ip241, "/PHONE/APP/mod_cmd.xml?cmd=xml-keypress&k=handsfree&t=0") == 200);
  CHECK(status(ip241, "/PHONE/APP/mod_cmd.xml?cmd=xml-keypress&k=spk&t=0") == 400);
  // A raw module command it does not know is an error, as on a phone's command line.
  auto unknown = ip241.handle({"GET", "/!mod%20cmd%20PHONE/APP%20key%20spk", ""});
  CHECK(unknown.status == 200);
  CHECK(unknown.body == "error: unknown command\n");

  // speak(nullptr) returns to the model's own forms.
  ip232.speak(nullptr);
  CHECK(status(ip232, "/lcd_dump.bmp") == 200);
}
