// Judging a candidate's answer, and the order in which a session tries candidates.
#include "common/models/device_info.hpp"
#include "common/models/registrations.hpp"
#include "services/phone-session/src/wire_forms.hpp"
#include "services/phone-session/wire/wire_judge.hpp"
#include "sim/phone/bmp_writer.hpp"
#include "sim/phone/lcd_renderer.hpp"
#include "sim/phone/phone_web.hpp"
#include "tests/phone_session/test_catalog.hpp"

#include <catch2/catch.hpp>
#include <simdjson.h>

using namespace mpk;
using namespace mpk::test;

namespace {

wire::answer ok(std::string body, std::string type = "text/xml") { return {200, std::move(type), std::move(body), ""}; }

/// A spec with three lcd and two key candidates.
std::shared_ptr<const models::wire_spec> three_lcd_forms() {
  std::string err;
  auto b = models::wire_book::parse(catalog(), R"({"models": {"IP222": {
      "lcd": ["/a.bmp", "/b.bmp", "/c.bmp"], "key": ["/k1?c={code}", "/k2?c={code}"]}}})",
                                    "t.json", err);
  REQUIRE(b);
  return b->find("IP222");
}

} // namespace

TEST_CASE("the LCD judge wants a BMP of a plausible size", "[wire][judge]") {
  const auto& m = *catalog().get("IP232");
  sim_phone::phone_web phone(m, {"009033000001", "IP232", "13r2", "Alice", "10.0.0.1", "101"});
  auto bmp = sim_phone::render_lcd_bmp(phone.ui());
  const auto& c = *m.wire.candidate("lcd");
  auto j = wire::judge("lcd", c, ok(bmp, "image/bmp"));
  CHECK(j.v == wire::verdict::works);
  CHECK(j.why == "BMP 480x272x16");
  simdjson::dom::parser p;
  simdjson::dom::element e;
  REQUIRE(p.parse(j.parsed).get(e) == simdjson::SUCCESS);
  CHECK(int64_t(e["width"]) == 480);
  CHECK(int64_t(e["height"]) == 272);
  CHECK(int64_t(e["depth"]) == 16);
  CHECK(wire::bmp_depth(bmp) == 16);

  CHECK(wire::judge("lcd", c, ok("<html>login</html>", "text/html")).v == wire::verdict::not_this_form);
  CHECK(wire::judge("lcd", c, {404, "text/plain", "not found", ""}).v == wire::verdict::not_this_form);
  CHECK(wire::judge("lcd", c, {501, "", "", ""}).v == wire::verdict::not_this_form);
  // The phone or the link is down, or it wants a password: nothing learned about the form.
  CHECK(wire::judge("lcd", c, {503, "text/plain", "device offline", ""}).v == wire::verdict::no_answer);
  CHECK(wire::judge("lcd", c, {504, "", "", ""}).v == wire::verdict::no_answer);
  CHECK(wire::judge("lcd", c, {401, "", "", ""}).v == wire::verdict::no_answer);
  CHECK(wire::judge("lcd", c, {0, "", "", "timeout"}).v == wire::verdict::no_answer);
  auto tiny = sim_phone::write_bmp(sim_phone::framebuffer(8, 8), {24, false});
  REQUIRE(tiny);
  auto small = wire::judge("lcd", c, ok(*tiny, "image/bmp"));
  CHECK(small.v == wire::verdict::not_this_form);
  CHECK(small.why == "BMP of an implausible size 8x8");
}

TEST_CASE("registrations and info are judged by their candidate's format", "[wire][judge]") {
  const auto& m = *catalog().get("IP222");
  const auto& first = *m.wire.candidate("registrations", 0);
  const auto& status_form = *m.wire.candidate("registrations", 2);
  std::vector<models::registration> regs(2);
  regs[0].id = 0;
  regs[0].state = "up";
  regs[0].protocol = "SIP";
  regs[0].gatekeeper = "pbx";
  regs[1].id = 1;
  auto xml = models::format_registrations_xml(regs);
  auto j = wire::judge("registrations", first, ok(xml));
  CHECK(j.v == wire::verdict::works);
  CHECK(j.why == "2 registrations");
  CHECK(wire::judge("registrations", status_form, ok(xml)).v == wire::verdict::not_this_form);
  auto other = models::format_registrations_xml(regs, models::registrations_format::from(status_form.format));
  CHECK(wire::judge("registrations", status_form, ok(other)).v == wire::verdict::works);
  auto empty = wire::judge("registrations", first, ok("<regs/>"));
  CHECK(empty.v == wire::verdict::not_this_form);

  const auto& info = *m.wire.candidate("info", 0);
  auto i = wire::judge("info", info, ok(models::format_info_xml({"IP222", "13r2", "0090", "A", "1.2.3.4", "101"})));
  CHECK(i.v == wire::verdict::works);
  CHECK(i.parsed.find("\"product\":\"IP222\"") != std::string::npos);
}

TEST_CASE("an acting form works when the phone takes it without an error", "[wire][judge]") {
  const auto& c = *catalog().get("IP222")->wire.candidate("key");
  CHECK(wire::judge("key", c, ok("<ok/>\n")).v == wire::verdict::works);
  CHECK(wire::judge("key", c, ok("")).v == wire::verdict::works);
  CHECK(wire::judge("key", c, ok("error: unknown command\n", "text/plain")).v == wire::verdict::not_this_form);
  CHECK(wire::judge("key", c, ok("<error reason=\"x\"/>")).v == wire::verdict::not_this_form);
  CHECK(wire::judge("key", c, {400, "text/plain", "unknown key code\n", ""}).v == wire::verdict::not_this_form);
  CHECK(wire::judge("key", c, {403, "text/plain", "invalid key\n", ""}).v == wire::verdict::no_answer);
  CHECK(wire::reports_error("  Error: x"));
  CHECK_FALSE(wire::reports_error("ok"));
}

TEST_CASE("candidates are tried in order, an answer without a verdict waits", "[wire][forms]") {
  session::wire_forms f(three_lcd_forms(), {});
  CHECK_FALSE(f.known("lcd"));
  CHECK(f.current("lcd") == 0);
  CHECK(f.candidate("lcd")->form == "/a.bmp");
  wire::judgement refused{wire::verdict::not_this_form, "", "answered 404"};
  wire::judgement silent{wire::verdict::no_answer, "", "timeout"};
  wire::judgement works{wire::verdict::works, "", "BMP"};
  CHECK(f.record("lcd", 0, refused, 404) == session::wire_forms::outcome::next);
  CHECK(f.current("lcd") == 1);
  CHECK(f.record("lcd", 1, silent, 0) == session::wire_forms::outcome::wait);
  CHECK(f.current("lcd") == 1);
  CHECK(f.record("lcd", 0, works, 200) == session::wire_forms::outcome::wait); // a late answer of #0
  CHECK(f.record("lcd", 1, works, 200) == session::wire_forms::outcome::chosen);
  CHECK(f.known("lcd"));
  CHECK(f.current("lcd") == 1);
  // Once known, a failure does not move it.
  CHECK(f.record("lcd", 1, refused, 404) == session::wire_forms::outcome::wait);
  CHECK(f.current("lcd") == 1);
  // The command form is never searched; an entry of one candidate is known from the start.
  CHECK(f.known("command"));
}

TEST_CASE("an exhausted round says why and starts again from the first", "[wire][forms]") {
  session::wire_forms f(three_lcd_forms(), {});
  wire::judgement nf{wire::verdict::not_this_form, "", "answered 404: not found"};
  CHECK(f.record("lcd", 0, nf, 404) == session::wire_forms::outcome::next);
  CHECK(f.record("lcd", 1, nf, 404) == session::wire_forms::outcome::next);
  CHECK(f.record("lcd", 2, nf, 404) == session::wire_forms::outcome::exhausted);
  CHECK(f.current("lcd") == 0);
  CHECK(f.exhausted_reason("lcd") ==
        "no lcd form answered: #0 /a.bmp: answered 404: not found; "
        "#1 /b.bmp: answered 404: not found; #2 /c.bmp: answered 404: not found");
  CHECK(f.all_not_found("lcd"));
  wire::judgement bad{wire::verdict::not_this_form, "", "not a BMP"};
  f.record("lcd", 0, bad, 200);
  f.record("lcd", 1, nf, 404);
  f.record("lcd", 2, nf, 404);
  CHECK_FALSE(f.all_not_found("lcd"));
}

TEST_CASE("remembered choices are used at once, one the data no longer has is dropped", "[wire][forms]") {
  session::wire_forms f(three_lcd_forms(), {{"lcd", 2}, {"key", 7}});
  CHECK(f.known("lcd"));
  CHECK(f.candidate("lcd")->form == "/c.bmp");
  CHECK_FALSE(f.known("key"));
  CHECK(f.current("key") == 0);
}
