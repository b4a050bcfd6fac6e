#include "services/registry/device_model.hpp"

#include <algorithm>
#include <charconv>
#include <iterator>

namespace mpk::registry {

std::string scoped_id(const std::string& link, std::int64_t n) { return link + ":" + std::to_string(n); }

namespace {

/// "<link>:<n>" → (link, n); false when the id has no number after its last ':'.
bool split_id(const std::string& id, std::string& link, std::int64_t& n) {
  auto colon = id.rfind(':');
  if (colon == std::string::npos) return false;
  const char* first = id.data() + colon + 1;
  const char* last = id.data() + id.size();
  auto [end, ec] = std::from_chars(first, last, n);
  if (ec != std::errc{} || end != last || first == last) return false;
  link.assign(id, 0, colon);
  return true;
}

/// Assigns only when different: the snapshot's strings mostly hold the value already.
void assign(std::string& to, const std::string& from) {
  if (to != from) to = from;
}

} // namespace

// -- helpers ----------------------------------------------------------------------------

void device_model::name_link(link_data& l, const std::string& link, const std::string& tenant) {
  l.tenant = tenant;
  l.link_name = pool_.intern(link);
  l.tenant_name = pool_.intern(tenant);
}

pooled_parts device_model::complete(const link_data& l, const std::string& link, device_record& rec) {
  pooled_parts known{l.link_name, l.tenant_name, pool_.intern(rec.domain_id), nullptr};
  assign(rec.link, link);
  assign(rec.tenant, l.tenant);
  if (!is_scoped_id(rec.id, link, rec.device_id)) rec.id = scoped_id(link, rec.device_id);
  auto d = l.domain_names.find(known.domain_id);
  // A device of a domain we do not know (yet) keeps the name it came with.
  if (d != l.domain_names.end()) {
    known.domain_name = d->second;
    assign(rec.domain_name, d->second->text);
  }
  rec.stale = l.stale;
  return known;
}

const entry_ptr* device_model::slot_of(const std::string& id) const {
  std::string link;
  std::int64_t n = 0;
  if (!split_id(id, link, n)) return nullptr;
  auto l = links_.find(link);
  if (l == links_.end()) return nullptr;
  auto it = l->second.devices.find(n);
  // "l:07" names no device even though 07 reads as 7.
  if (it == l->second.devices.end() || !is_scoped_id(id, link, n)) return nullptr;
  return &it->second;
}

const domain_summary* device_model::domain_of(const link_data& l, const std::string& domain_id) const {
  const auto* key = pool_.find(domain_id);
  auto d = key ? l.domains.find(key) : l.domains.end();
  return d == l.domains.end() ? nullptr : &d->second;
}

void device_model::count_in(const device_entry& e, int sign) {
  if (e.domain_id->text.empty()) return;
  auto& c = counts_[e.domain_id];
  c.total = static_cast<std::uint32_t>(static_cast<std::int64_t>(c.total) + sign);
  if (e.online) c.online = static_cast<std::uint32_t>(static_cast<std::int64_t>(c.online) + sign);
}

void device_model::put(link_data& l, const device_record& rec, const pooled_parts& known, change_list& out) {
  auto& slot = l.devices[rec.device_id];
  // A reload mostly brings what the model holds: compared first, only a difference allocates.
  if (slot && same_device(*slot, rec)) return;
  store(slot, make_entry(rec, pool_, known), out);
}

void device_model::store(entry_ptr& slot, entry_ptr after, change_list& out) {
  entry_ptr before = slot;
  if (before) count_in(*before, -1);
  count_in(*after, +1);
  if (before)
    index_.replace(before, after.get());
  else
    index_.insert(after.get());
  slot = after;
  out.push_back({std::move(before), std::move(after)});
}

void device_model::drop(link_data& l, std::int64_t device_id, change_list& out) {
  auto it = l.devices.find(device_id);
  if (it == l.devices.end()) return;
  entry_ptr before = std::move(it->second);
  l.devices.erase(it);
  index_.erase(before);
  count_in(*before, -1);
  out.push_back({std::move(before), nullptr});
}

void device_model::rename_domain(link_data& l, const std::string& domain_id, change_list& out) {
  const auto* d = domain_of(l, domain_id);
  if (!d) return;
  const auto* id = pool_.find(domain_id);
  const auto* name = pool_.intern(d->name);
  for (auto& [n, e] : l.devices) {
    if (e->domain_id == id && e->domain_name != name) {
      auto copy = copy_entry(*e);
      copy->domain_name = name;
      store(e, std::move(copy), out);
    }
  }
}

// -- mutations ----------------------------------------------------------------------------

change_list device_model::replace_link(const std::string& link, const std::string& tenant,
                                       const std::vector<domain_summary>& domains,
                                       const std::vector<device_record>& devices) {
  return replace_link(link, tenant, domains, std::vector<device_record>(devices));
}

change_list device_model::replace_link(const std::string& link, const std::string& tenant,
                                       const std::vector<domain_summary>& domains,
                                       std::vector<device_record>&& devices) {
  std::vector<std::vector<device_record>> one;
  one.push_back(std::move(devices));
  return replace_link(link, tenant, domains, std::move(one));
}

change_list device_model::replace_link(const std::string& link, const std::string& tenant,
                                       const std::vector<domain_summary>& domains,
                                       std::vector<std::vector<device_record>>&& chunks) {
  std::size_t count = 0;
  for (const auto& c : chunks) count += c.size();
  auto& l = links_[link];
  name_link(l, link, tenant);
  l.stale = false;
  l.domains.clear();
  l.domain_names.clear();
  for (auto d : domains) {
    d.link = link;
    d.tenant = tenant;
    d.stale = false;
    const auto* id = pool_.intern(d.id);
    l.domain_names[id] = pool_.intern(d.name);
    l.domains[id] = std::move(d);
  }
  change_list out;
  if (l.devices.empty()) {
    l.devices.reserve(count);
    out.reserve(count);
  }
  // The snapshot's records are completed in place and compared with the entries: the unchanged
  // ones are dropped, only the differences make entries.
  std::vector<std::int64_t> seen;
  seen.reserve(count);
  for (auto& chunk : chunks) {
    for (auto& rec : chunk) {
      auto known = complete(l, link, rec);
      seen.push_back(rec.device_id);
      put(l, rec, known, out);
    }
    std::vector<device_record>().swap(chunk);
  }
  std::sort(seen.begin(), seen.end());
  seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
  // Every id of the snapshot is in the link now: anything more is gone.
  if (l.devices.size() > seen.size()) {
    std::vector<std::int64_t> gone;
    for (const auto& [n, e] : l.devices)
      if (!std::binary_search(seen.begin(), seen.end(), n)) gone.push_back(n);
    std::sort(gone.begin(), gone.end()); // a stable order of the removals in the delta
    for (auto n : gone) drop(l, n, out);
  }
  return out;
}

change_list device_model::apply_delta(const std::string& link, const std::string& tenant, const link_update& u) {
  auto& l = links_[link];
  name_link(l, link, tenant);
  change_list out;
  for (auto d : u.domains) {
    d.link = link;
    d.tenant = tenant;
    d.stale = l.stale;
    auto id = d.id;
    const auto* key = pool_.intern(id);
    auto old = l.domains.find(key);
    bool renamed = old != l.domains.end() && old->second.name != d.name;
    bool added = old == l.domains.end();
    l.domain_names[key] = pool_.intern(d.name);
    l.domains[key] = std::move(d);
    if (renamed || added) rename_domain(l, id, out);
  }
  for (const auto& id : u.removed_devices) {
    const auto* slot = slot_of(id);
    if (slot && (*slot)->link->text == link) drop(l, (*slot)->device_id, out);
  }
  for (const auto& in : u.devices) {
    auto rec = in;
    auto known = complete(l, link, rec);
    put(l, rec, known, out);
  }
  for (const auto& id : u.removed_domains)
    if (const auto* key = pool_.find(id)) {
      l.domains.erase(key);
      l.domain_names.erase(key);
    }
  return out;
}

change_list device_model::set_stale(const std::string& link, bool stale) {
  change_list out;
  auto it = links_.find(link);
  if (it == links_.end()) return out;
  auto& l = it->second;
  l.stale = stale;
  for (auto& [id, d] : l.domains) d.stale = stale;
  for (auto& [n, e] : l.devices) {
    if (e->stale != stale) {
      auto copy = copy_entry(*e);
      copy->stale = stale;
      store(e, std::move(copy), out);
    }
  }
  return out;
}

bool device_model::is_stale(const std::string& link) const {
  auto it = links_.find(link);
  return it != links_.end() && it->second.stale;
}

change_list device_model::remove_link(const std::string& link) {
  change_list out;
  auto it = links_.find(link);
  if (it == links_.end()) return out;
  std::vector<std::int64_t> ids;
  for (const auto& [n, e] : it->second.devices) ids.push_back(n);
  std::sort(ids.begin(), ids.end());
  for (auto n : ids) drop(it->second, n, out);
  for (const auto& [id, d] : it->second.domains) counts_.erase(id);
  links_.erase(it);
  return out;
}

// -- reads --------------------------------------------------------------------------------

device_page device_model::query(const device_query& q) const {
  device_filter f(q);
  device_page page;
  page.offset = q.offset;
  std::uint32_t limit = std::min(q.limit, max_page);
  if (f.accepts_all()) {
    // Nothing to filter: the count is known and the page starts `offset` entries in.
    page.total = index_.size();
    index_.visit(q.offset, std::size_t{q.offset} + limit,
                 [&](const device_entry* e) { page.devices.push_back(e->record()); });
    return page;
  }
  auto [first, last] = range_of(f);
  page.total =
    index_.page(f, first, last, q.offset, limit, [&](const device_entry* e) { page.devices.push_back(e->record()); });
  return page;
}

std::pair<std::size_t, std::size_t> device_model::range_of(const device_filter& f) const {
  // A domain's devices are one run of the list (it is ordered by domain name first).
  if (!f.domain().empty()) {
    auto colon = f.domain().rfind(':');
    auto l = colon == std::string::npos ? links_.end() : links_.find(f.domain().substr(0, colon));
    if (l != links_.end()) {
      if (const auto* d = domain_of(l->second, f.domain())) return index_.domain_run(lower(d->name));
    }
  }
  return {0, index_.size()};
}

std::uint64_t device_model::count(const device_filter& f) const {
  if (f.accepts_all()) return index_.size();
  auto [first, last] = range_of(f);
  return index_.page(f, first, last, 0, 0, [](const device_entry*) {});
}

std::vector<domain_summary> device_model::domains(const std::vector<std::string>& tenants) const {
  std::vector<domain_summary> out;
  for (const auto& [link, l] : links_) {
    if (!in_scope(tenants, l.tenant)) continue;
    for (const auto& [id, d] : l.domains) {
      out.push_back(d);
      auto c = counts_.find(id);
      if (c != counts_.end()) {
        out.back().total = c->second.total;
        out.back().online = c->second.online;
      } else {
        out.back().total = out.back().online = 0;
      }
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const domain_summary& a, const domain_summary& b) {
    if (a.tenant != b.tenant) return a.tenant < b.tenant;
    auto la = lower(a.name), lb = lower(b.name);
    if (la != lb) return la < lb;
    return a.id < b.id;
  });
  return out;
}

entry_ptr device_model::find(const std::string& id) const {
  const auto* slot = slot_of(id);
  return slot ? *slot : nullptr;
}

std::size_t device_model::devices_of(const std::string& link) const {
  auto it = links_.find(link);
  return it == links_.end() ? 0 : it->second.devices.size();
}

std::size_t device_model::domains_of(const std::string& link) const {
  auto it = links_.find(link);
  return it == links_.end() ? 0 : it->second.domains.size();
}

} // namespace mpk::registry
