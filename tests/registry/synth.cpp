#include "tests/registry/synth.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <tuple>

namespace mpk::test {

std::string lower_copy(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

device_record synth_device(const std::string& link, std::int64_t n, std::size_t domains) {
  static const char* names[] = {"Reception", "LOBBY", "Office", "meeting Room", "Lab"};
  static const char* products[] = {"IP112", "IP222", "IP232", "IP241", "IP111", "IP812"};
  auto u = static_cast<std::uint64_t>(n);
  device_record d;
  d.link = link;
  d.device_id = n;
  d.id = link + ":" + std::to_string(n);
  d.name = std::string(names[u % 5]) + " " + std::to_string(n);
  d.product = products[u % 6];
  d.version =
    "13r" + std::to_string(1 + u % 3) + " sr" + std::to_string(u % 17) + " [13." + std::to_string(4000 + u % 500) + "]";
  d.type = "PHONE";
  d.ip = "10." + std::to_string((u >> 16) & 255) + "." + std::to_string((u >> 8) & 255) + "." + std::to_string(u & 255);
  char hw[13];
  std::snprintf(hw, sizeof hw, "009033%06llx", static_cast<unsigned long long>(u & 0xffffff));
  d.hw_id = hw;
  d.domain_id = link + ":" + std::to_string(1 + u % domains);
  d.online = u % 3 != 0;
  return d;
}

std::vector<domain_summary> synth_domains(const std::string& link, std::size_t count) {
  std::vector<domain_summary> out;
  for (std::size_t k = 1; k <= count; ++k) {
    domain_summary d;
    d.id = link + ":" + std::to_string(k);
    d.link = link;
    d.name = (k % 2 ? "Domain-" : "domain-") + std::to_string(k);
    out.push_back(d);
  }
  return out;
}

link_update synth_snapshot(const std::string& link, const std::string& tenant, std::size_t count, std::size_t domains) {
  link_update u;
  u.link = link;
  u.tenant = tenant;
  u.kind = link_update_kind::snapshot;
  u.state = link_state::up;
  u.url = "ws://devices.invalid/" + link;
  u.passthrough_base = "http://devices.invalid/passthrough/";
  u.key = "key-" + link;
  u.domains = synth_domains(link, domains);
  for (std::size_t n = 1; n <= count; ++n)
    u.devices.push_back(synth_device(link, static_cast<std::int64_t>(n), domains));
  return u;
}

bool naive_match(const device_record& d, const device_query& q) {
  if (!q.tenants.empty() && std::find(q.tenants.begin(), q.tenants.end(), d.tenant) == q.tenants.end()) return false;
  if (!q.domain.empty() && d.domain_id != q.domain) return false;
  if (q.online == 0 && d.online) return false;
  if (q.online == 1 && !d.online) return false;
  auto term = lower_copy(q.search);
  while (!term.empty() && term.front() == ' ') term.erase(term.begin());
  while (!term.empty() && term.back() == ' ') term.pop_back();
  if (term.empty()) return true;
  for (const auto* f : {&d.name, &d.product, &d.ip, &d.hw_id, &d.version})
    if (lower_copy(*f).find(term) != std::string::npos) return true;
  std::string mac;
  bool sep = false, hex = true;
  for (char c : term) {
    if (c == ':' || c == '-')
      sep = true;
    else if (std::isxdigit(static_cast<unsigned char>(c)))
      mac.push_back(c);
    else
      hex = false;
  }
  return sep && hex && !mac.empty() && lower_copy(d.hw_id).find(mac) != std::string::npos;
}

bool naive_less(const device_record& a, const device_record& b) {
  return std::make_tuple(lower_copy(a.domain_name), lower_copy(a.name), a.link, a.device_id) <
         std::make_tuple(lower_copy(b.domain_name), lower_copy(b.name), b.link, b.device_id);
}

} // namespace mpk::test
