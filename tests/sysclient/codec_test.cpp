// Sysclient framing: the example frames of docs/spec/devices-api.md §5.4, round trips, malformed frames.
#include "common/sysclient/codec.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace mpk::sysclient;

namespace {

/// Bytes from a hex string ("01 0000 7b"), spaces ignored.
std::string hex(std::string_view text) {
  std::string out;
  int high = -1;
  for (char c : text) {
    if (c == ' ') continue;
    int v = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
    REQUIRE(v >= 0);
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<char>(high * 16 + v));
      high = -1;
    }
  }
  REQUIRE(high < 0);
  return out;
}

const admin_message& as_admin(const decode_result& r) {
  REQUIRE(r.msg.has_value());
  REQUIRE(std::holds_alternative<admin_message>(*r.msg));
  return std::get<admin_message>(*r.msg);
}

const tunnel_message& as_tunnel(const decode_result& r) {
  REQUIRE(r.msg.has_value());
  REQUIRE(std::holds_alternative<tunnel_message>(*r.msg));
  return std::get<tunnel_message>(*r.msg);
}

} // namespace

TEST_CASE("identify example frame of the spec", "[sysclient]") {
  admin_message msg{static_cast<std::uint16_t>(admin_type::identify), R"({"id":"009033460af2"})"};
  auto frame = encode(msg);
  CHECK(frame.substr(0, 9) == hex("01 0000 7b22 6964 223a"));
  CHECK(frame.back() == '}');
  CHECK(frame.size() == 3 + msg.json.size());

  auto r = decode(frame);
  CHECK(r.error.empty());
  const auto& back = as_admin(r);
  CHECK(back.type == 0);
  CHECK(back.json == msg.json);
}

TEST_CASE("receive-4096 on session 13 example frame", "[sysclient]") {
  auto frame = encode_recv(13, 4096);
  CHECK(frame == hex("02 0000000d 00000001 00001000"));

  auto r = decode(frame);
  const auto& t = as_tunnel(r);
  CHECK(t.session == 13);
  CHECK(t.event == static_cast<std::uint32_t>(tunnel_event::recv));
  CHECK(recv_length(t) == std::optional<std::uint32_t>(4096));
}

TEST_CASE("receive length 0 of the GOSYS trace decodes", "[sysclient]") {
  auto decoded = decode(hex("02 0000000d 00000001 00000000"));
  CHECK(recv_length(as_tunnel(decoded)) == std::optional<std::uint32_t>(0));
}

TEST_CASE("admin round trip of every admin type", "[sysclient]") {
  for (std::uint16_t type = 0; type <= 6; ++type) {
    admin_message msg{type, R"({"challenge":"1234567890"})"};
    auto frame = encode(msg);
    CHECK(static_cast<unsigned char>(frame[0]) == 0x01);
    CHECK(static_cast<unsigned char>(frame[1]) == 0x00);
    CHECK(static_cast<unsigned char>(frame[2]) == type);
    auto decoded = decode(frame);
    const auto& back = as_admin(decoded);
    CHECK(back.type == type);
    CHECK(back.json == msg.json);
  }
}

TEST_CASE("admin message with empty JSON is 3 bytes", "[sysclient]") {
  auto frame = encode(admin_message{5, ""});
  CHECK(frame == hex("01 0005"));
  auto decoded = decode(frame);
  CHECK(as_admin(decoded).json.empty());
}

TEST_CASE("tunnel round trip keeps binary data and big-endian ids", "[sysclient]") {
  std::string data("GET / HTTP/1.1\r\n\r\n\0\xff", 20);
  tunnel_message msg{0x01020304, static_cast<std::uint32_t>(tunnel_event::send), data};
  auto frame = encode(msg);
  CHECK(frame.substr(0, 9) == hex("02 01020304 00000000"));
  auto decoded = decode(frame);
  const auto& back = as_tunnel(decoded);
  CHECK(back.session == 0x01020304);
  CHECK(back.event == 0);
  CHECK(back.data == data);
  CHECK_FALSE(recv_length(back).has_value());
}

TEST_CASE("tunnel events without data are exactly 9 bytes", "[sysclient]") {
  for (auto ev : {tunnel_event::send_result, tunnel_event::shutdown}) {
    auto frame = encode(tunnel_message{0xffffffffu, static_cast<std::uint32_t>(ev), {}});
    REQUIRE(frame.size() == 9);
    auto decoded = decode(frame);
    const auto& back = as_tunnel(decoded);
    CHECK(back.session == 0xffffffffu);
    CHECK(back.event == static_cast<std::uint32_t>(ev));
    CHECK(back.data.empty());
  }
}

TEST_CASE("malformed frames give errors", "[sysclient]") {
  struct bad {
    std::string frame;
    std::string expect;
  };
  std::vector<bad> cases = {
    {"", "empty"},
    {hex("01"), "too short"},
    {hex("01 00"), "too short"},
    {hex("02"), "too short"},
    {hex("02 0000000d 000000"), "too short"},
    {hex("00 0000"), "unknown message type"},
    {hex("03 0000000d 00000000"), "unknown message type"},
    {hex("ff"), "unknown message type"},
    {hex("01 0007 7b7d"), "unknown admin type 7"},
    {hex("01 ffff"), "unknown admin type 65535"},
    {hex("02 0000000d 00000005"), "unknown tunnel event 5"},
    {hex("02 0000000d ffffffff"), "unknown tunnel event 4294967295"},
    {hex("02 0000000d 00000001"), "4-byte length"},
    {hex("02 0000000d 00000001 001000"), "4-byte length"},
    {hex("02 0000000d 00000001 00001000 00"), "4-byte length"},
  };
  for (const auto& c : cases) {
    INFO("frame size " << c.frame.size() << ", expecting " << c.expect);
    auto r = decode(c.frame);
    CHECK_FALSE(r.msg.has_value());
    CHECK(r.error.find(c.expect) != std::string::npos);
  }
}

TEST_CASE("every truncation of a valid frame is handled", "[sysclient]") {
  auto frame = encode_recv(7, 8000);
  for (std::size_t n = 0; n < frame.size(); ++n) {
    // Each prefix is a view into a shorter buffer, so any over-read would show under ASan.
    std::string prefix = frame.substr(0, n);
    auto r = decode(prefix);
    CHECK_FALSE(r.msg.has_value());
    CHECK_FALSE(r.error.empty());
  }
  CHECK(decode(frame).msg.has_value());
}

TEST_CASE("recv_length rejects other events and bad sizes", "[sysclient]") {
  CHECK_FALSE(recv_length(tunnel_message{1, 2, "abcd"}).has_value());
  CHECK_FALSE(recv_length(tunnel_message{1, 1, "abc"}).has_value());
  CHECK(recv_length(tunnel_message{1, 1, std::string("\x00\x00\x1f\x40", 4)}) == std::optional<std::uint32_t>(8000));
}
