#include "sim/devices/records.hpp"

namespace mpk::sim {

void write_device(json::json_writer& w, const device_record& d, std::string_view uri_prefix, std::string_view key) {
  w.begin_object().member("id", d.id).member("hwId", d.hw_id);
  if (!d.name.empty()) w.member("name", d.name);
  // Unassigned devices carry no domainId [inf]: they belong to no domain a client could list.
  if (d.domain_id != 0) w.member("domainId", d.domain_id);
  w.member("product", d.product).member("version", d.version).member("type", d.type);
  w.member("pbxActive", d.pbx_active).member("online", d.online).member("hasLeaseLicenses", false);
  if (!d.eth_ifs.empty()) {
    w.key("ethIfs").begin_array();
    for (const auto& e : d.eth_ifs) {
      w.begin_object().member("if", e.name);
      if (!e.ipv4.empty()) w.member("ipv4", e.ipv4);
      w.end_object();
    }
    w.end_array();
  }
  if (!uri_prefix.empty()) {
    std::string uri;
    uri.reserve(uri_prefix.size() + d.hw_id.size() + key.size() + 2);
    uri.append(uri_prefix).append(d.hw_id).append("/").append(key).append("/");
    w.member("uri", uri);
  }
  w.end_object();
}

void write_domain(json::json_writer& w, const domain_record& d) {
  w.begin_object()
    .member("id", d.id)
    .member("name", d.name)
    .member("deployAdminPasswords", d.deploy_admin_passwords)
    .member("isInstanceDomain", d.is_instance_domain);
  w.key("categories").begin_array().end_array();
  w.end_object();
}

std::string hw_id_for(std::uint64_t n) {
  static const char digits[] = "0123456789abcdef";
  std::uint64_t v = 0x009033000000ull + (n & 0xffffffull);
  std::string s(12, '0');
  for (int i = 11; i >= 0; --i) {
    s[static_cast<std::size_t>(i)] = digits[v & 0xf];
    v >>= 4;
  }
  return s;
}

} // namespace mpk::sim
