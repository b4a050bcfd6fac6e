#include "services/registry/device_entry.hpp"

#include <tuple>

namespace mpk::registry {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

namespace {

/// Appends `s` lowercased; a newline inside a field would let a search term span two fields.
void append_field(std::string& out, std::string_view s) {
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    else if (c == '\n') c = ' ';
    out.push_back(c);
  }
}

} // namespace

entry_ptr make_entry(device_record rec) {
  auto e = std::make_shared<device_entry>();
  auto& s = e->search;
  s.reserve(rec.name.size() + rec.product.size() + rec.ip.size() + rec.hw_id.size() + rec.version.size() + 4);
  append_field(s, rec.name);
  s.push_back('\n');
  append_field(s, rec.product);
  s.push_back('\n');
  append_field(s, rec.ip);
  s.push_back('\n');
  e->hw_pos = s.size();
  append_field(s, rec.hw_id);
  e->hw_len = s.size() - e->hw_pos;
  s.push_back('\n');
  append_field(s, rec.version);
  e->domain_lc = lower(rec.domain_name);
  e->name_lc = lower(rec.name);
  e->rec = std::move(rec);
  return e;
}

bool same_record(const device_record& a, const device_record& b) {
  return std::tie(a.id, a.link, a.tenant, a.device_id, a.hw_id, a.name, a.product, a.version, a.type, a.ip, a.domain_id,
                  a.domain_name, a.online, a.stale) ==
         std::tie(b.id, b.link, b.tenant, b.device_id, b.hw_id, b.name, b.product, b.version, b.type, b.ip, b.domain_id,
                  b.domain_name, b.online, b.stale);
}

bool entry_order::operator()(const device_entry* a, const device_entry* b) const {
  if (int c = a->domain_lc.compare(b->domain_lc)) return c < 0;
  if (int c = a->name_lc.compare(b->name_lc)) return c < 0;
  if (int c = a->rec.link.compare(b->rec.link)) return c < 0;
  return a->rec.device_id < b->rec.device_id;
}

} // namespace mpk::registry
