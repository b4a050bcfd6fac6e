// The binary LCD frame, the watcher notifications and the passthrough rules.
#include "services/phone-session/src/frame_wire.hpp"
#include "services/phone-session/src/passthrough.hpp"
#include "services/phone-session/src/phone_events.hpp"
#include "tests/phone_session/png_check.hpp"

#include <catch2/catch.hpp>

using namespace mpk;
using namespace mpk::session;

namespace {

lcd::image flat(std::uint32_t w, std::uint32_t h, std::uint8_t v) {
  lcd::image img;
  img.width = w;
  img.height = h;
  img.rgb.assign(static_cast<std::size_t>(w) * h * 3, v);
  return img;
}

} // namespace

TEST_CASE("an LCD frame has the documented header and round-trips", "[phone_session][wire]") {
  auto img = flat(320, 240, 200);
  auto f = lcd::encode_frame(nullptr, img);
  auto bytes = encode_lcd_frame("link:7", 0x01020304, 320, 240, f);
  REQUIRE(bytes);
  const std::string& b = *bytes;
  CHECK(static_cast<unsigned char>(b[0]) == 0x4C);
  CHECK(b[1] == 1);
  CHECK(b.substr(2, 4) == std::string("\x01\x02\x03\x04", 4));
  CHECK(b.substr(6, 4) == std::string("\x01\x40\x00\xF0", 4)); // 320, 240 big-endian
  CHECK(b.substr(10, 8) == std::string("\x00\x00\x00\x00\x01\x40\x00\xF0", 8));
  CHECK(b[18] == 6);
  CHECK(b.substr(19, 6) == "link:7");
  CHECK(b.substr(25, 8) == "\x89PNG\r\n\x1a\n");

  auto v = parse_lcd_frame(b);
  REQUIRE(v);
  CHECK(v->codec == frame_codec::png_full);
  CHECK(v->seq == 0x01020304u);
  CHECK(v->device == "link:7");
  auto png = test::decode_png(v->png);
  REQUIRE(png);
  CHECK(png->rgb == img.rgb);
}

TEST_CASE("a delta frame carries its rectangle", "[phone_session][wire]") {
  auto a = flat(480, 272, 10);
  auto b = a;
  for (std::uint32_t y = 100; y < 110; ++y)
    for (std::uint32_t x = 30; x < 50; ++x) b.rgb[(y * 480 + x) * 3] = 99;
  auto f = lcd::encode_frame(&a, b);
  REQUIRE_FALSE(f.full);
  auto bytes = encode_lcd_frame("d", 2, 480, 272, f);
  REQUIRE(bytes);
  auto v = parse_lcd_frame(*bytes);
  REQUIRE(v);
  CHECK(v->codec == frame_codec::png_rect);
  CHECK(v->x == 30);
  CHECK(v->y == 100);
  CHECK(v->w == 20);
  CHECK(v->h == 10);
  lcd::image canvas = a;
  REQUIRE(test::paint_frame(canvas, *bytes));
  CHECK(canvas.rgb == b.rgb);
}

TEST_CASE("frames that cannot be expressed are refused", "[phone_session][wire]") {
  auto img = flat(4, 4, 1);
  auto f = lcd::encode_frame(nullptr, img);
  CHECK_FALSE(encode_lcd_frame(std::string(256, 'x'), 1, 4, 4, f));
  CHECK(encode_lcd_frame(std::string(255, 'x'), 1, 4, 4, f));
  CHECK_FALSE(encode_lcd_frame("d", 1, 70000, 4, f));
  lcd::frame empty;
  CHECK_FALSE(encode_lcd_frame("d", 1, 4, 4, empty));
}

TEST_CASE("malformed frames do not parse", "[phone_session][wire]") {
  auto f = lcd::encode_frame(nullptr, flat(8, 8, 3));
  auto good = *encode_lcd_frame("dev", 9, 8, 8, f);
  CHECK(parse_lcd_frame(good));
  CHECK_FALSE(parse_lcd_frame(""));
  CHECK_FALSE(parse_lcd_frame(good.substr(0, 18)));
  CHECK_FALSE(parse_lcd_frame(good.substr(0, 22))); // id complete, no PNG byte
  auto bad_type = good;
  bad_type[0] = 'X';
  CHECK_FALSE(parse_lcd_frame(bad_type));
  auto bad_codec = good;
  bad_codec[1] = 7;
  CHECK_FALSE(parse_lcd_frame(bad_codec));
  auto long_id = good;
  long_id[18] = static_cast<char>(250); // id runs past the end
  CHECK_FALSE(parse_lcd_frame(long_id));
  // Every prefix is handled without reading out of bounds.
  for (std::size_t n = 0; n < good.size(); ++n) (void)parse_lcd_frame(good.substr(0, n));
}

TEST_CASE("PhoneState and Registrations bodies", "[phone_session][events]") {
  CHECK(phone_state_json(phone_state::online, "") == "\"state\":\"online\"");
  CHECK(phone_state_json(phone_state::error, "passthrough refused (403): \"bad\" key") ==
        "\"state\":\"error\",\"reason\":\"passthrough refused (403): \\\"bad\\\" key\"");
  CHECK(phone_state_json(phone_state::stale, "x") == "\"state\":\"stale\",\"reason\":\"x\"");

  std::vector<models::registration> regs(4);
  regs[0] = {0, "up", "on", "SIP", "101", "Alice", "pbx.example.com", "", true};
  regs[1] = {1, "down", "on", "", "", "", "", "", false};
  regs[2] = {2, "up", "off", "H323", "102", "Bob", "pbx", "", true};
  regs[3] = {3, "rejected", "on", "SIP", "103", "Carol", "pbx", "wrong password", true};
  auto json = registrations_json(regs);
  CHECK(json ==
        "\"regs\":[{\"id\":0,\"state\":\"registered\",\"number\":\"101\",\"name\":\"Alice\",\"gatekeeper\":"
        "\"pbx.example.com\",\"protocol\":\"SIP\",\"error\":\"\"},"
        "{\"id\":1,\"state\":\"not-configured\",\"number\":\"\",\"name\":\"\",\"gatekeeper\":\"\",\"protocol\":\"\","
        "\"error\":\"\"},"
        "{\"id\":2,\"state\":\"disabled\",\"number\":\"102\",\"name\":\"Bob\",\"gatekeeper\":\"pbx\",\"protocol\":"
        "\"H323\",\"error\":\"\"},"
        "{\"id\":3,\"state\":\"failed\",\"number\":\"103\",\"name\":\"Carol\",\"gatekeeper\":\"pbx\",\"protocol\":"
        "\"SIP\",\"error\":\"wrong password\"}]");
  CHECK(registrations_json({}) == "\"regs\":[]");
}

TEST_CASE("passthrough URLs get exactly one slash", "[phone_session][passthrough]") {
  CHECK(join_url("https://h/d/devices/passthrough/0090/k/", "/lcd_dump.bmp") ==
        "https://h/d/devices/passthrough/0090/k/lcd_dump.bmp");
  CHECK(join_url("https://h/p/k", "/x") == "https://h/p/k/x");
  CHECK(join_url("https://h/p/k/", "x") == "https://h/p/k/x");
  CHECK(join_url("https://h/p/k", "x") == "https://h/p/k/x");
  CHECK(join_url("https://h/p/k/", "/!config%20write") == "https://h/p/k/!config%20write");
}

TEST_CASE("the admin-UI relay refuses what could leave the phone's URL space", "[phone_session][passthrough]") {
  std::string err;
  CHECK(admin_request_ok("GET", "/", err));
  CHECK(admin_request_ok("GET", "/admin.xml?xsl=a.xsl&x=../y", err)); // dots in the query are data
  CHECK(admin_request_ok("POST", "/CMD0/mod_cmd.xml", err));
  CHECK(admin_request_ok("GET", "/a.b/c..d/", err));
  for (auto* bad : {"", "admin.xml", "/../other/key/", "/a/..", "/a/./b", "/%2e%2e/x", "/%2E./x", "/a%2fb", "/a\\b",
                    "/a b", "/a\nb", "/a#frag", "/x%5C.."}) {
    err.clear();
    CHECK_FALSE(admin_request_ok("GET", bad, err));
    CHECK_FALSE(err.empty());
  }
  CHECK_FALSE(admin_request_ok("DELETE", "/", err));
  CHECK_FALSE(admin_request_ok("GET", "/" + std::string(5000, 'a'), err));
}

TEST_CASE("failed exchanges read as states and codes", "[phone_session][passthrough]") {
  auto offline = classify_failure(true, 503, "device offline\n", "");
  CHECK(offline.state == phone_state::offline);
  CHECK(offline.code == "OFFLINE");
  CHECK(offline.reason == "phone offline (503): device offline");
  CHECK_FALSE(offline.new_key_needed);

  auto stale_key = classify_failure(true, 403, "invalid or expired session key\n", "");
  CHECK(stale_key.state == phone_state::error);
  CHECK(stale_key.code == "PHONE_ERROR");
  CHECK(stale_key.new_key_needed);
  CHECK(classify_failure(true, 404, "", "").new_key_needed);

  CHECK(classify_failure(false, 0, "", "timeout").code == "TIMEOUT");
  CHECK(classify_failure(true, 504, "", "").code == "TIMEOUT");
  auto refused = classify_failure(false, 0, "", "Connection refused");
  CHECK(refused.code == "PHONE_ERROR");
  CHECK(refused.reason.find("Connection refused") != std::string::npos);
  CHECK(classify_failure(true, 500, std::string("\xff\xfe", 2), "").reason ==
        "phone answered 500: <2 bytes, not UTF-8>");
}

TEST_CASE("the passthrough key is removed from quoted texts", "[phone_session][passthrough]") {
  std::string base = "http://h/d/devices/passthrough/0090/secret-key/";
  CHECK(without_secret("bad URL '" + base + "lcd_dump.bmp'", base) == "bad URL '<passthrough>/lcd_dump.bmp'");
  CHECK(without_secret("timeout", base) == "timeout");
  CHECK(without_secret("x", "") == "x");
}
