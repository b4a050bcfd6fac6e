// Rendering the wire paths and refusing bad requests.

#include "common/models/catalog.hpp"

#include <catch2/catch.hpp>

using namespace mpk::models;

namespace {
const catalog& cat() {
  static const catalog c = [] {
    std::string err;
    auto loaded = catalog::load(MPK_MODELS_DIR, err);
    REQUIRE(loaded);
    return *loaded;
  }();
  return c;
}
} // namespace

TEST_CASE("key requests render codes and hold times") {
  const model& m = *cat().get("IP222");
  std::string err;
  CHECK(cat().key_request(m, "D5", 0, err) == "/PHONE/APP/mod_cmd.xml?cmd=xml-key&key=5&ms=0");
  CHECK(cat().key_request(m, "STAR", 100, err) == "/PHONE/APP/mod_cmd.xml?cmd=xml-key&key=%2A&ms=100");
  CHECK(cat().key_request(m, "HASH", 100, err) == "/PHONE/APP/mod_cmd.xml?cmd=xml-key&key=%23&ms=100");
  CHECK(cat().key_request(m, "F16", 1500, err) == "/PHONE/APP/mod_cmd.xml?cmd=xml-key&key=f16&ms=1500");
  CHECK(cat().key_request(m, "SPEAKER", 10000, err) == "/PHONE/APP/mod_cmd.xml?cmd=xml-key&key=spk&ms=10000");
}

TEST_CASE("key requests are refused for unknown keys and bad hold times") {
  std::string err;
  const model& ip101 = *cat().get("IP101");
  CHECK_FALSE(cat().key_request(ip101, "F1", 0, err));
  CHECK(err == "unknown key \"F1\" for IP101");
  CHECK_FALSE(cat().key_request(ip101, "ALPHA_A", 0, err));
  CHECK_FALSE(cat().key_request(ip101, "", 0, err));
  CHECK_FALSE(cat().key_request(ip101, "D1", -1, err));
  CHECK(err == "hold time -1 ms out of range (0-10000)");
  CHECK_FALSE(cat().key_request(ip101, "D1", 10001, err));
}

TEST_CASE("touch requests only on touch models and inside the screen") {
  std::string err;
  const model& ip232 = *cat().get("IP232");
  CHECK(cat().touch_request(ip232, 0, 0, 0, err) == "/PHONE/APP/mod_cmd.xml?cmd=xml-touch&x=0&y=0&ms=0");
  CHECK(cat().touch_request(ip232, 479, 271, 50, err) == "/PHONE/APP/mod_cmd.xml?cmd=xml-touch&x=479&y=271&ms=50");
  CHECK_FALSE(cat().touch_request(ip232, 480, 10, 0, err));
  CHECK(err == "touch (480,10) outside the 480x272 screen");
  CHECK_FALSE(cat().touch_request(ip232, 10, -1, 0, err));
  CHECK_FALSE(cat().touch_request(ip232, 10, 10, 20000, err));
  CHECK_FALSE(cat().touch_request(*cat().get("IP222"), 10, 10, 0, err));
  CHECK(err == "IP222 has no touch screen");
}

TEST_CASE("text requests are URL-encoded and bounded") {
  std::string err;
  const model& m = *cat().get("IP112");
  CHECK(cat().text_request(m, "Hans Müller & Co", err) ==
        "/PHONE/APP/mod_cmd.xml?cmd=xml-text&text=Hans%20M%C3%BCller%20%26%20Co");
  CHECK(cat().text_request(m, std::string(256, 'a'), err));
  CHECK_FALSE(cat().text_request(m, std::string(257, 'a'), err));
  CHECK(err == "text too long (257 bytes, max 256)");
  CHECK_FALSE(cat().text_request(m, "", err));
  CHECK(err == "text is empty");
  CHECK_FALSE(cat().text_request(m, "a\nb", err));
  CHECK(err == "text contains control characters");
  CHECK_FALSE(cat().text_request(m, "\xC3(", err));
  CHECK(err == "text is not valid UTF-8");
  CHECK_FALSE(cat().text_request(m, "\xC0\xAF", err));     // overlong '/'
  CHECK_FALSE(cat().text_request(m, "\xED\xA0\x80", err)); // surrogate
  CHECK_FALSE(cat().text_request(m, "\xE2\x82", err));     // truncated
}

TEST_CASE("command requests keep slashes, encode spaces and refuse junk") {
  std::string err;
  const model& m = *cat().get("IP222");
  CHECK(cat().command_request(m, "config write", err) == "/!config%20write");
  CHECK(cat().command_request(m, "!mod cmd CPU mips-usage", err) == "/!mod%20cmd%20CPU%20mips-usage");
  CHECK(cat().command_request(m, "config add PHONE USER /funclock-ro-mask 0x300", err) ==
        "/!config%20add%20PHONE%20USER%20/funclock-ro-mask%200x300");
  CHECK(cat().command_request(m, "x?y#z", err) == "/!x%3Fy%23z");
  CHECK_FALSE(cat().command_request(m, "", err));
  CHECK_FALSE(cat().command_request(m, "!", err));
  CHECK_FALSE(cat().command_request(m, "   ", err));
  CHECK(err == "command is empty");
  CHECK_FALSE(cat().command_request(m, "reset\r\nHost: x", err));
  CHECK(err == "command contains control characters");
  CHECK(cat().command_request(m, std::string(512, 'a'), err));
  CHECK_FALSE(cat().command_request(m, std::string(513, 'a'), err));
  CHECK(err == "command too long (513 bytes, max 512)");
}

TEST_CASE("action requests") {
  std::string err;
  const model& m = *cat().get("IP111");
  CHECK(cat().action_names(m) == std::vector<std::string>{"reboot", "reboot-idle", "config-write", "config-activate",
                                                          "update-check", "dial", "hangup"});
  CHECK(cat().action_request(m, "reboot", "", err) == "/!reset");
  CHECK(cat().action_request(m, "reboot-idle", "", err) == "/!ireset");
  CHECK(cat().action_request(m, "config-write", "", err) == "/!config%20write");
  CHECK(cat().action_request(m, "update-check", "", err) == "/!mod%20cmd%20UP1%20check%20iresetn%200");
  CHECK(cat().action_request(m, "dial", "+49 7031 73009", err) ==
        "/PHONE/APP/mod_cmd.xml?xsl=phone_dial.xsl&cmd=xml-dial&dest=%2B49%207031%2073009&op=Dial");
  CHECK(cat().action_request(m, "hangup", "3", err) ==
        "/PHONE/APP/mod_cmd.xml?xsl=phone_calls.xsl&cmd=xml-calls&op=drop&id=3");
  CHECK_FALSE(cat().action_request(m, "dial", "", err));
  CHECK(err == "action dial needs an argument");
  CHECK_FALSE(cat().action_request(m, "reboot", "now", err));
  CHECK(err == "action reboot takes no argument");
  CHECK_FALSE(cat().action_request(m, "factory-reset", "", err));
  CHECK(err.rfind("unknown action \"factory-reset\" (known: reboot", 0) == 0);
  CHECK_FALSE(cat().action_request(m, "dial", std::string(300, '1'), err));
  CHECK_FALSE(cat().action_request(m, "dial", "1\n2", err));
}
