#pragma once
/// The rows of a simulated Devices database (docs/spec/devices-api.md §2.3) and their JSON form.

#include "common/json/writer.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mpk::sim {

/// One network interface as the device reports it in identify (`ethIfs`).
struct eth_if {
  std::string name = "ETH0";
  std::string ipv4;
};

/// A device row. `domain_id` 0 means unassigned (a sysclient that is in no domain yet).
struct device_record {
  std::int64_t id = 0;
  std::string hw_id, name;
  std::int64_t domain_id = 0;
  std::string product, version, type = "PHONE";
  bool pbx_active = false;
  bool online = false;
  std::vector<eth_if> eth_ifs;
  /// The sysclient password the device stored from a 0x0001 message; empty = never got one.
  std::string sysclient_password;
  /// A live sysclient phone plays this device in this simulation (connected or not).
  bool live = false;
};

/// A domain row (docs/spec/devices-api.md §2.3 domain object, §7).
struct domain_record {
  std::int64_t id = 0;
  std::string name, password;
  bool deploy_admin_passwords = false;
  bool is_instance_domain = false;
  /// The administrative password deployed to the domain's devices (0x0003) when the flag is set.
  std::string admin_password;
};

/// Writes the device object of docs/spec/devices-api.md §2.3. `uri_prefix` non-empty adds
/// `uri` = uri_prefix + hwId + "/" + key + "/" (the passthrough base of the reading session).
void write_device(json::json_writer& w, const device_record& d, std::string_view uri_prefix, std::string_view key);

/// Writes the domain object of docs/spec/devices-api.md §2.3 (GODEV form, `categories` empty).
void write_domain(json::json_writer& w, const domain_record& d);

/// Lowercase MAC-like hwId from a number, e.g. 0x0090330000000 + n → "009033000001".
std::string hw_id_for(std::uint64_t n);

} // namespace mpk::sim
