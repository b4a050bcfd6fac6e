#pragma once
/// Binary framing of sysclient messages (docs/spec/devices-api.md §5.2): one message per websocket
/// binary frame, big-endian header integers.

#include "common/sysclient/message.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mpk::sysclient {

/// Minimum frame lengths (§5.2): SMT + u16 type, and SMT + u32 session + u32 event.
inline constexpr std::size_t admin_header_size = 3;
inline constexpr std::size_t tunnel_header_size = 9;

/// 0x01, u16 BE admin type, JSON text (no NUL terminator).
std::string encode(const admin_message& msg);

/// 0x02, u32 BE session, u32 BE event, event data.
std::string encode(const tunnel_message& msg);

/// A "socket receive" (event 1) asking the device for up to `length` bytes of session `session`.
std::string encode_recv(std::uint32_t session, std::uint32_t length);

/// The requested length of a "socket receive" event; nullopt for another event or bad data size.
std::optional<std::uint32_t> recv_length(const tunnel_message& msg);

/// Result of decode(): `msg` is set on success, otherwise `error` says why.
struct decode_result {
  std::optional<message> msg;
  std::string error;
};

/// Decodes one frame. Never throws and never reads past `frame`.
/// Errors: empty/too short frame, unknown SMT, unknown admin type or tunnel event,
/// a "socket receive" whose data is not exactly a u32.
decode_result decode(std::string_view frame);

} // namespace mpk::sysclient
