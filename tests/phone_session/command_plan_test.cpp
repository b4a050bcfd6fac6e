// Phone operations become wire paths from the model data, or refusals before anything is sent.
#include "services/phone-session/src/command_plan.hpp"
#include "tests/phone_session/test_catalog.hpp"

#include <catch2/catch.hpp>

using namespace mpk;
using namespace mpk::session;

namespace {

std::variant<command_plan, command_refusal> plan(const char* product, command_args a) {
  return plan_command(test::catalog(), *test::catalog().get(product), a);
}

command_plan ok(const std::variant<command_plan, command_refusal>& v) {
  if (auto* r = std::get_if<command_refusal>(&v)) FAIL("refused: " << r->code << " " << r->text);
  return std::get<command_plan>(v);
}

command_refusal refused(const std::variant<command_plan, command_refusal>& v) {
  REQUIRE(std::holds_alternative<command_refusal>(v));
  return std::get<command_refusal>(v);
}

} // namespace

TEST_CASE("keys, touches, text, actions and commands render their wire paths", "[phone_session][commands]") {
  auto key = ok(plan("IP222", {command_kind::key, "D5", "", 0, 0, 1200}));
  CHECK(key.path == "/PHONE/APP/mod_cmd.xml?cmd=xml-key&key=5&ms=1200");
  CHECK(key.what == "key D5 hold 1200ms");
  CHECK(key.refresh_lcd);

  auto touch = ok(plan("IP232", {command_kind::touch, "", "", 10, 20, 0}));
  CHECK(touch.path == "/PHONE/APP/mod_cmd.xml?cmd=xml-touch&x=10&y=20&ms=0");
  CHECK(touch.what == "touch 10,20");

  auto text = ok(plan("IP222", {command_kind::text, "Hallo Welt", "", 0, 0, 0}));
  CHECK(text.path == "/PHONE/APP/mod_cmd.xml?cmd=xml-text&text=Hallo%20Welt");
  CHECK(text.what == "text \"Hallo Welt\"");

  auto dial = ok(plan("IP222", {command_kind::action, "dial", "123", 0, 0, 0}));
  CHECK(dial.path == "/PHONE/APP/mod_cmd.xml?xsl=phone_dial.xsl&cmd=xml-dial&dest=123&op=Dial");
  CHECK(dial.what == "action dial 123");

  auto write = ok(plan("IP222", {command_kind::action, "config-write", "", 0, 0, 0}));
  CHECK(write.path == "/!config%20write");

  auto cmd = ok(plan("IP222", {command_kind::command, "!mod cmd CPU mips-usage", "", 0, 0, 0}));
  CHECK(cmd.path.rfind("/!mod%20cmd%20CPU%20mips-usage", 0) == 0);
  CHECK_FALSE(cmd.refresh_lcd);
  CHECK(cmd.what == "command !mod cmd CPU mips-usage");
}

TEST_CASE("bad keys and bad arguments are refused with a code", "[phone_session][commands]") {
  auto k = refused(plan("IP101", {command_kind::key, "F1", "", 0, 0, 0}));
  CHECK(k.code == "BAD_KEY");
  CHECK(k.text == "unknown key \"F1\" for IP101");
  CHECK(refused(plan("IP222", {command_kind::key, "", "", 0, 0, 0})).code == "BAD_KEY");
  CHECK(refused(plan("IP222", {command_kind::key, "D1", "", 0, 0, 20000})).code == "BAD_REQUEST");
  CHECK(refused(plan("IP222", {command_kind::touch, "", "", 1, 1, 0})).text == "IP222 has no touch screen");
  CHECK(refused(plan("IP232", {command_kind::touch, "", "", 480, 1, 0})).code == "BAD_REQUEST");
  CHECK(refused(plan("IP222", {command_kind::text, "", "", 0, 0, 0})).code == "BAD_REQUEST");
  CHECK(refused(plan("IP222", {command_kind::text, "a\nb", "", 0, 0, 0})).code == "BAD_REQUEST");
  CHECK(refused(plan("IP222", {command_kind::action, "self-destruct", "", 0, 0, 0})).code == "BAD_REQUEST");
  CHECK(refused(plan("IP222", {command_kind::action, "dial", "", 0, 0, 0})).text == "action dial needs an argument");
  CHECK(refused(plan("IP222", {command_kind::command, "", "", 0, 0, 0})).code == "BAD_REQUEST");
  CHECK(refused(plan("IP222", {command_kind::command, std::string(600, 'a'), "", 0, 0, 0})).code == "BAD_REQUEST");
  // Key labels are the session's own: never planned as a request to the phone.
  auto labels = refused(plan("IP222", {command_kind::labels, "", "{}", 0, 0, 0}));
  CHECK(labels.code == "BAD_REQUEST");
  CHECK(labels.what == "labels {}");
}

TEST_CASE("audit descriptions stay bounded and printable", "[phone_session][commands]") {
  CHECK(describe_command({command_kind::key, "OK", "", 0, 0, 0}) == "key OK");
  CHECK(describe_command({command_kind::command, "", "", 0, 0, 0}) == "command");
  std::string long_text(300, 'x');
  auto d = describe_command({command_kind::text, long_text, "", 0, 0, 0});
  CHECK(d.size() < 90);
  CHECK(d.find("...") != std::string::npos);
  CHECK(describe_command({command_kind::key, std::string("\xff\xfe", 2), "", 0, 0, 0}) == "key <2 bytes, not UTF-8>");
  CHECK(printable("a\tb\x01", 10) == "a b ");
  CHECK(printable("\xc3\xa4\xc3\xa4\xc3\xa4", 4) == "\xc3\xa4\xc3\xa4...");
  CHECK(output_text("line 1\nline 2\n") == "line 1\nline 2\n");
  CHECK(output_text(std::string("\x00\x01", 2)) == "  ");
  CHECK(output_text(std::string("\xff", 1)) == "(1 bytes of binary output)");
  CHECK(output_text(std::string(100, 'a'), 10).rfind("aaaaaaaaaa\n(output cut at 10 bytes)", 0) == 0);
}
