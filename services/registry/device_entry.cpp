#include "services/registry/device_entry.hpp"

#include <charconv>
#include <iterator>

namespace mpk::registry {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = lower_char(c);
  return out;
}

bool is_scoped_id(std::string_view id, std::string_view link, std::int64_t n) {
  char digits[24];
  auto [end, ec] = std::to_chars(std::begin(digits), std::end(digits), n);
  auto len = static_cast<std::size_t>(end - digits);
  return ec == std::errc{} && id.size() == link.size() + 1 + len && id.substr(0, link.size()) == link &&
         id[link.size()] == ':' && id.substr(link.size() + 1) == std::string_view(digits, len);
}

namespace {

void append_folded(std::string& out, std::string_view s) {
  for (char c : s) out.push_back(fold(c));
}

/// Whether `term` occurs in `field` as the search key holds it (fold()ed).
bool folded_contains(std::string_view field, std::string_view term) {
  if (term.size() > field.size()) return false;
  for (std::size_t at = 0; at + term.size() <= field.size(); ++at) {
    std::size_t i = 0;
    while (i < term.size() && fold(field[at + i]) == term[i]) ++i;
    if (i == term.size()) return true;
  }
  return false;
}

} // namespace

std::string device_entry::id() const {
  std::string out;
  out.reserve(link->text.size() + 21);
  out += link->text;
  out += ':';
  out += std::to_string(device_id);
  return out;
}

device_record device_entry::record() const {
  device_record r;
  r.id = id();
  r.link = link->text;
  r.tenant = tenant->text;
  r.device_id = device_id;
  r.hw_id = hw_id;
  r.name = name;
  r.product = product->text;
  r.version = version->text;
  r.type = type->text;
  r.ip = ip;
  r.domain_id = domain_id->text;
  r.domain_name = domain_name->text;
  r.online = online;
  r.stale = stale;
  return r;
}

void device_entry::append_search_key(std::string& out) const {
  out.reserve(out.size() + search_key_size());
  append_folded(out, name);
  out.push_back('\n');
  append_folded(out, product->text);
  out.push_back('\n');
  append_folded(out, ip);
  out.push_back('\n');
  append_folded(out, hw_id);
  out.push_back('\n');
  append_folded(out, version->text);
}

bool device_entry::search_key_contains(std::string_view term) const {
  // Terms hold no control characters: a match lies inside one field.
  return folded_contains(name, term) || folded_contains(product->text, term) || folded_contains(ip, term) ||
         folded_contains(hw_id, term) || folded_contains(version->text, term);
}

bool device_entry::hw_contains(std::string_view mac) const { return folded_contains(hw_id, mac); }

entry_ptr make_entry(const device_record& rec, string_pool& pool, const pooled_parts& known) {
  auto e = std::make_shared<device_entry>();
  e->link = known.link ? known.link : pool.intern(rec.link);
  e->tenant = known.tenant ? known.tenant : pool.intern(rec.tenant);
  e->product = pool.intern(rec.product);
  e->version = pool.intern(rec.version);
  e->type = pool.intern(rec.type);
  e->domain_id = known.domain_id ? known.domain_id : pool.intern(rec.domain_id);
  e->domain_name = known.domain_name ? known.domain_name : pool.intern(rec.domain_name);
  e->device_id = rec.device_id;
  e->name = rec.name;
  e->hw_id = rec.hw_id;
  e->ip = rec.ip;
  e->online = rec.online;
  e->stale = rec.stale;
  return e;
}

std::shared_ptr<device_entry> copy_entry(const device_entry& e) {
  auto copy = std::make_shared<device_entry>(e);
  copy->batch_slot = device_entry::no_slot;
  return copy;
}

bool same_device(const device_entry& e, const device_record& r) {
  return e.device_id == r.device_id && e.online == r.online && e.stale == r.stale && e.name == r.name &&
         e.hw_id == r.hw_id && e.ip == r.ip && e.product->text == r.product && e.version->text == r.version &&
         e.type->text == r.type && e.domain_id->text == r.domain_id && e.domain_name->text == r.domain_name &&
         e.tenant->text == r.tenant && e.link->text == r.link && is_scoped_id(r.id, e.link->text, e.device_id);
}

int compare_lower(std::string_view a, std::string_view b) {
  auto n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    auto x = static_cast<unsigned char>(lower_char(a[i])), y = static_cast<unsigned char>(lower_char(b[i]));
    if (x != y) return x < y ? -1 : 1;
  }
  return a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
}

bool entry_order::operator()(const device_entry* a, const device_entry* b) const {
  if (a->domain_name != b->domain_name)
    if (int c = a->domain_name->lower.compare(b->domain_name->lower)) return c < 0;
  if (int c = compare_lower(a->name, b->name)) return c < 0;
  if (a->link != b->link)
    if (int c = a->link->text.compare(b->link->text)) return c < 0;
  return a->device_id < b->device_id;
}

} // namespace mpk::registry
