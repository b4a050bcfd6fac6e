#include "services/registry/device_parse.hpp"

#include "services/registry/device_model.hpp"

#include <cstdint>

namespace mpk::registry {

namespace {

std::string str_of(simdjson::dom::element el, std::string_view key) {
  std::string_view v;
  if (el[key].get_string().get(v) != simdjson::SUCCESS) return {};
  return std::string(v);
}

std::optional<std::int64_t> int_value(simdjson::dom::element v) {
  std::int64_t n = 0;
  if (v.is_int64() && v.get_int64().get(n) == simdjson::SUCCESS) return n;
  std::uint64_t u = 0;
  if (v.is_uint64() && v.get_uint64().get(u) == simdjson::SUCCESS && u <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(u);
  return std::nullopt;
}

std::optional<std::int64_t> int_of(simdjson::dom::element el, std::string_view key) {
  simdjson::dom::element v;
  if (el[key].get(v) != simdjson::SUCCESS) return std::nullopt;
  return int_value(v);
}

std::string string_value(simdjson::dom::element v) {
  std::string_view s;
  if (v.get_string().get(s) != simdjson::SUCCESS) return {};
  return std::string(s);
}

/// ETH0's IPv4, else the first interface with one (docs/spec/devices-api.md §2.3: IP = ethIfs ipv4).
std::string ip_of(simdjson::dom::element ifs_el) {
  simdjson::dom::array ifs;
  if (ifs_el.get_array().get(ifs) != simdjson::SUCCESS) return {};
  std::string first;
  for (auto i : ifs) {
    if (!i.is_object()) continue;
    auto ip = str_of(i, "ipv4");
    if (ip.empty()) continue;
    if (str_of(i, "if") == "ETH0") return ip;
    if (first.empty()) first = std::move(ip);
  }
  return first;
}

} // namespace

std::optional<device_record> parse_device(simdjson::dom::element el, const std::string& link, std::string* uri) {
  simdjson::dom::object obj;
  if (el.get_object().get(obj) != simdjson::SUCCESS) return std::nullopt;
  // One pass over the members instead of one lookup (a scan of the keys) per field. The first
  // of duplicate keys counts, as with a lookup.
  enum : unsigned {
    id_f = 1,
    hw_f = 2,
    name_f = 4,
    product_f = 8,
    version_f = 16,
    type_f = 32,
    eth_f = 64,
    domain_f = 128,
    online_f = 256,
    uri_f = 512
  };
  unsigned seen = 0;
  auto first = [&](unsigned f) {
    if (seen & f) return false;
    seen |= f;
    return true;
  };
  device_record r;
  std::optional<std::int64_t> id, dom;
  if (uri) uri->clear();
  for (auto field : obj) {
    std::string_view k = field.key;
    auto v = field.value;
    if (k == "id") {
      if (first(id_f)) id = int_value(v);
    } else if (k == "hwId") {
      if (first(hw_f)) r.hw_id = string_value(v);
    } else if (k == "name") {
      if (first(name_f)) r.name = string_value(v);
    } else if (k == "product") {
      if (first(product_f)) r.product = string_value(v);
    } else if (k == "version") {
      if (first(version_f)) r.version = string_value(v);
    } else if (k == "type") {
      if (first(type_f)) r.type = string_value(v);
    } else if (k == "ethIfs") {
      if (first(eth_f)) r.ip = ip_of(v);
    } else if (k == "domainId") {
      if (first(domain_f)) dom = int_value(v);
    } else if (k == "online") {
      bool online = false;
      if (first(online_f) && v.get_bool().get(online) == simdjson::SUCCESS) r.online = online;
    } else if (k == "uri") {
      if (first(uri_f) && uri) *uri = string_value(v);
    }
  }
  if (!id) return std::nullopt;
  r.link = link;
  r.device_id = *id;
  r.id = scoped_id(link, *id);
  if (dom) r.domain_id = scoped_id(link, *dom);
  return r;
}
std::optional<domain_summary> parse_domain(simdjson::dom::element el, const std::string& link) {
  if (!el.is_object()) return std::nullopt;
  auto id = int_of(el, "id");
  if (!id) return std::nullopt;
  domain_summary d;
  d.id = scoped_id(link, *id);
  d.link = link;
  d.name = str_of(el, "name");
  return d;
}

std::string passthrough_base_from_uri(std::string_view uri, std::string_view hw_id, std::string_view key) {
  if (hw_id.empty() || key.empty()) return {};
  std::string tail;
  tail.append(hw_id).append("/").append(key).append("/");
  if (uri.size() <= tail.size() || uri.substr(uri.size() - tail.size()) != tail) return {};
  auto base = uri.substr(0, uri.size() - tail.size());
  if (base.back() != '/') return {};
  return std::string(base);
}

std::string passthrough_base_from_url(std::string_view url) {
  std::string out;
  if (url.substr(0, 6) == "wss://")
    out = "https://", url.remove_prefix(6);
  else if (url.substr(0, 5) == "ws://")
    out = "http://", url.remove_prefix(5);
  else if (url.substr(0, 8) == "https://")
    out = "https://", url.remove_prefix(8);
  else if (url.substr(0, 7) == "http://")
    out = "http://", url.remove_prefix(7);
  else
    return {};
  url = url.substr(0, url.find_first_of("?#"));
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  // The devices-api App URL ends in the App's path; passthrough lives beside it at the instance.
  for (std::string_view app : {"/innovaphone-devices-api", "/innovaphone-devices"}) {
    if (url.size() > app.size() && url.substr(url.size() - app.size()) == app) {
      url.remove_suffix(app.size());
      break;
    }
  }
  out.append(url).append("/passthrough/");
  return out;
}

} // namespace mpk::registry
