#pragma once
/// Message types of the sysclient protocol (device <-> Devices App), docs/spec/devices-api.md §5.

#include <cstdint>
#include <string>
#include <variant>

namespace mpk::sysclient {

/// First byte of every frame (SMT): which of the two message families follows.
enum class smt : std::uint8_t { admin = 0x01, tunnel = 0x02 };

/// Admin message types (§5.3). Kept as an enum for readability; the wire value is a u16.
enum class admin_type : std::uint16_t {
  identify = 0,
  password = 1,
  challenge = 2,
  admin_password = 3,
  provision = 4,
  provision_result = 5,
  configuration = 6,
};

/// Tunnel event types (§5.4).
enum class tunnel_event : std::uint32_t {
  send = 0,
  recv = 1,
  recv_result = 2,
  send_result = 3,
  shutdown = 4,
};

/// An admin message: the type and its JSON text (not parsed here, not NUL-terminated on the wire).
struct admin_message {
  std::uint16_t type = 0;
  std::string json;
};

/// A tunnel message: one event of one tunnelled HTTP connection.
struct tunnel_message {
  std::uint32_t session = 0;
  std::uint32_t event = 0;
  std::string data; ///< raw event data (HTTP bytes, or the u32 length of a receive)
};

using message = std::variant<admin_message, tunnel_message>;

/// True if `type` is one of the admin types of §5.3.
constexpr bool is_known(admin_type type) {
  return static_cast<std::uint16_t>(type) <= static_cast<std::uint16_t>(admin_type::configuration);
}

/// True if `event` is one of the tunnel events of §5.4.
constexpr bool is_known(tunnel_event event) {
  return static_cast<std::uint32_t>(event) <= static_cast<std::uint32_t>(tunnel_event::shutdown);
}

} // namespace mpk::sysclient
