#include "services/registry/device_model.hpp"

#include <algorithm>

namespace mpk::registry {

std::string scoped_id(const std::string& link, std::int64_t n) { return link + ":" + std::to_string(n); }

// -- helpers ----------------------------------------------------------------------------

device_record device_model::complete(const link_data& l, const std::string& link, device_record rec) const {
  rec.link = link;
  rec.tenant = l.tenant;
  rec.id = scoped_id(link, rec.device_id);
  auto d = l.domains.find(rec.domain_id);
  // A device of a domain we do not know (yet) keeps the name it came with.
  if (d != l.domains.end()) rec.domain_name = d->second.name;
  rec.stale = l.stale;
  return rec;
}

void device_model::count_in(const device_record& r, int sign) {
  if (r.domain_id.empty()) return;
  auto& c = counts_[r.domain_id];
  c.total = static_cast<std::uint32_t>(static_cast<std::int64_t>(c.total) + sign);
  if (r.online) c.online = static_cast<std::uint32_t>(static_cast<std::int64_t>(c.online) + sign);
}

void device_model::put(link_data& l, device_record rec, change_list& out) {
  auto it = by_id_.find(rec.id);
  entry_ptr before;
  if (it != by_id_.end()) {
    if (same_record(it->second->rec, rec)) return;
    before = it->second;
    count_in(before->rec, -1);
  }
  auto after = make_entry(std::move(rec));
  count_in(after->rec, +1);
  if (before) index_.replace(before.get(), after.get());
  else index_.insert(after.get());
  l.devices.insert(after->rec.id);
  by_id_[after->rec.id] = after;
  out.push_back({std::move(before), std::move(after)});
}

void device_model::drop(link_data& l, const std::string& id, change_list& out) {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return;
  entry_ptr before = std::move(it->second);
  by_id_.erase(it);
  index_.erase(before.get());
  count_in(before->rec, -1);
  l.devices.erase(id);
  out.push_back({std::move(before), nullptr});
}

void device_model::rename_domain(link_data& l, const std::string& domain_id, change_list& out) {
  auto d = l.domains.find(domain_id);
  if (d == l.domains.end()) return;
  std::vector<device_record> renamed;
  for (const auto& id : l.devices) {
    const auto& e = by_id_.at(id);
    if (e->rec.domain_id == domain_id && e->rec.domain_name != d->second.name) {
      renamed.push_back(e->rec);
      renamed.back().domain_name = d->second.name;
    }
  }
  for (auto& r : renamed) put(l, std::move(r), out);
}

// -- mutations ----------------------------------------------------------------------------

change_list device_model::replace_link(const std::string& link, const std::string& tenant,
                                       const std::vector<domain_summary>& domains,
                                       const std::vector<device_record>& devices) {
  auto& l = links_[link];
  l.tenant = tenant;
  l.stale = false;
  l.domains.clear();
  for (auto d : domains) {
    d.link = link;
    d.tenant = tenant;
    d.stale = false;
    auto id = d.id;
    l.domains[id] = std::move(d);
  }
  change_list out;
  std::unordered_set<std::string> seen;
  seen.reserve(devices.size());
  for (const auto& in : devices) {
    auto rec = complete(l, link, in);
    seen.insert(rec.id);
    put(l, std::move(rec), out);
  }
  std::vector<std::string> gone;
  for (const auto& id : l.devices)
    if (!seen.count(id)) gone.push_back(id);
  for (const auto& id : gone) drop(l, id, out);
  return out;
}

change_list device_model::apply_delta(const std::string& link, const std::string& tenant, const link_update& u) {
  auto& l = links_[link];
  l.tenant = tenant;
  change_list out;
  for (auto d : u.domains) {
    d.link = link;
    d.tenant = tenant;
    d.stale = l.stale;
    auto id = d.id;
    auto old = l.domains.find(id);
    bool renamed = old != l.domains.end() && old->second.name != d.name;
    bool added = old == l.domains.end();
    l.domains[id] = std::move(d);
    if (renamed || added) rename_domain(l, id, out);
  }
  for (const auto& id : u.removed_devices) drop(l, id, out);
  for (const auto& in : u.devices) put(l, complete(l, link, in), out);
  for (const auto& id : u.removed_domains) l.domains.erase(id);
  return out;
}

change_list device_model::set_stale(const std::string& link, bool stale) {
  change_list out;
  auto it = links_.find(link);
  if (it == links_.end()) return out;
  auto& l = it->second;
  l.stale = stale;
  for (auto& [id, d] : l.domains) d.stale = stale;
  std::vector<device_record> flipped;
  for (const auto& id : l.devices) {
    const auto& e = by_id_.at(id);
    if (e->rec.stale != stale) {
      flipped.push_back(e->rec);
      flipped.back().stale = stale;
    }
  }
  for (auto& r : flipped) put(l, std::move(r), out);
  return out;
}

change_list device_model::remove_link(const std::string& link) {
  change_list out;
  auto it = links_.find(link);
  if (it == links_.end()) return out;
  std::vector<std::string> ids(it->second.devices.begin(), it->second.devices.end());
  for (const auto& id : ids) drop(it->second, id, out);
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
  const auto& list = index_.ordered();
  if (f.accepts_all()) {
    // Nothing to filter: the count is known and the page starts `offset` entries in.
    page.total = list.size();
    for (std::size_t i = q.offset; i < list.size() && page.devices.size() < limit; ++i)
      page.devices.push_back(list[i]->rec);
    return page;
  }
  auto [first, last] = range_of(f);
  index_.scan(f, first, last, [&](const device_entry* e) {
    if (page.total >= q.offset && page.devices.size() < limit) page.devices.push_back(e->rec);
    ++page.total;
  });
  return page;
}

std::pair<std::size_t, std::size_t> device_model::range_of(const device_filter& f) const {
  // A domain's devices are one run of the list (it is ordered by domain name first).
  if (!f.domain().empty()) {
    auto colon = f.domain().rfind(':');
    auto l = colon == std::string::npos ? links_.end() : links_.find(f.domain().substr(0, colon));
    if (l != links_.end()) {
      auto d = l->second.domains.find(f.domain());
      if (d != l->second.domains.end()) return index_.domain_run(lower(d->second.name));
    }
  }
  return {0, index_.size()};
}

std::uint64_t device_model::count(const device_filter& f) const {
  if (f.accepts_all()) return index_.size();
  std::uint64_t n = 0;
  auto [first, last] = range_of(f);
  index_.scan(f, first, last, [&](const device_entry*) { ++n; });
  return n;
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
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second;
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
