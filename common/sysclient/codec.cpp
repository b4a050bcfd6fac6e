#include "common/sysclient/codec.hpp"

namespace mpk::sysclient {
namespace {

void put_u16(std::string& out, std::uint16_t v) {
  out.push_back(static_cast<char>((v >> 8) & 0xFF));
  out.push_back(static_cast<char>(v & 0xFF));
}

void put_u32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xFF));
}

// Callers check the length first; these only assemble big-endian integers.
std::uint16_t get_u16(std::string_view s, std::size_t at) {
  return static_cast<std::uint16_t>((static_cast<unsigned char>(s[at]) << 8) | static_cast<unsigned char>(s[at + 1]));
}

std::uint32_t get_u32(std::string_view s, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}

decode_result fail(std::string text) { return {std::nullopt, std::move(text)}; }

decode_result decode_admin(std::string_view frame) {
  if (frame.size() < admin_header_size)
    return fail("admin frame too short: " + std::to_string(frame.size()) + " bytes, need 3");
  auto type = get_u16(frame, 1);
  if (!is_known(static_cast<admin_type>(type))) return fail("unknown admin type " + std::to_string(type));
  admin_message msg;
  msg.type = type;
  msg.json.assign(frame.substr(admin_header_size));
  return {message{std::move(msg)}, {}};
}

decode_result decode_tunnel(std::string_view frame) {
  if (frame.size() < tunnel_header_size)
    return fail("tunnel frame too short: " + std::to_string(frame.size()) + " bytes, need 9");
  tunnel_message msg;
  msg.session = get_u32(frame, 1);
  msg.event = get_u32(frame, 5);
  if (!is_known(static_cast<tunnel_event>(msg.event))) return fail("unknown tunnel event " + std::to_string(msg.event));
  msg.data.assign(frame.substr(tunnel_header_size));
  // A receive without its length cannot be answered; refuse it here rather than later.
  if (msg.event == static_cast<std::uint32_t>(tunnel_event::recv) && msg.data.size() != 4)
    return fail("socket receive needs a 4-byte length, got " + std::to_string(msg.data.size()) + " bytes");
  return {message{std::move(msg)}, {}};
}

} // namespace

std::string encode(const admin_message& msg) {
  std::string out;
  out.reserve(admin_header_size + msg.json.size());
  out.push_back(static_cast<char>(smt::admin));
  put_u16(out, msg.type);
  out += msg.json;
  return out;
}

std::string encode(const tunnel_message& msg) {
  std::string out;
  out.reserve(tunnel_header_size + msg.data.size());
  out.push_back(static_cast<char>(smt::tunnel));
  put_u32(out, msg.session);
  put_u32(out, msg.event);
  out += msg.data;
  return out;
}

std::string encode_recv(std::uint32_t session, std::uint32_t length) {
  tunnel_message msg;
  msg.session = session;
  msg.event = static_cast<std::uint32_t>(tunnel_event::recv);
  put_u32(msg.data, length);
  return encode(msg);
}

std::optional<std::uint32_t> recv_length(const tunnel_message& msg) {
  if (msg.event != static_cast<std::uint32_t>(tunnel_event::recv) || msg.data.size() != 4) return std::nullopt;
  return get_u32(msg.data, 0);
}

decode_result decode(std::string_view frame) {
  if (frame.empty()) return fail("empty frame");
  switch (static_cast<unsigned char>(frame[0])) {
    case static_cast<unsigned char>(smt::admin): return decode_admin(frame);
    case static_cast<unsigned char>(smt::tunnel): return decode_tunnel(frame);
    default: return fail("unknown message type (SMT) " + std::to_string(static_cast<unsigned char>(frame[0])));
  }
}

} // namespace mpk::sysclient
