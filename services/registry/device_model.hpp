#pragma once
/// The registry's in-memory model of every domain and device of every devices-api link, with an
/// ordered index for paged queries. Pure logic: every mutation returns exactly what changed.

#include "common/actors/messages.hpp"
#include "services/registry/device_entry.hpp"
#include "services/registry/device_filter.hpp"
#include "services/registry/device_index.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace mpk::registry {

/// One change of one device: `before` null = added, `after` null = removed, both = changed.
struct change {
  entry_ptr before, after;
};
using change_list = std::vector<change>;

class device_model {
public:
  /// Largest page a query returns, whatever the caller asks for.
  static constexpr std::uint32_t max_page = 1000;

  // -- mutations (each returns only the differences it made) -------------------------

  /// Replaces everything of `link` by a complete snapshot (all devices fresh, not stale). Only
  /// the devices that differ from the model come back as changes: a reload after a reconnect
  /// with nothing changed returns nothing.
  change_list replace_link(const std::string& link, const std::string& tenant,
                           const std::vector<domain_summary>& domains, std::vector<device_record>&& devices);
  /// The same with the snapshot in chunks, as the devices-api sent it: each chunk is released as
  /// soon as its records are in the model, so the entries of later chunks reuse its memory.
  change_list replace_link(const std::string& link, const std::string& tenant,
                           const std::vector<domain_summary>& domains,
                           std::vector<std::vector<device_record>>&& chunks);
  /// The same with a copy of the devices.
  change_list replace_link(const std::string& link, const std::string& tenant,
                           const std::vector<domain_summary>& domains, const std::vector<device_record>& devices);
  /// Applies pushes: upserts of domains/devices and removals by id.
  change_list apply_delta(const std::string& link, const std::string& tenant, const link_update& u);
  /// Marks every device of the link stale (link down) or fresh again.
  change_list set_stale(const std::string& link, bool stale);
  /// Forgets the link: every device of it is removed.
  change_list remove_link(const std::string& link);

  // -- reads --------------------------------------------------------------------------

  /// One page in list order; `seq` is left 0 for the caller.
  device_page query(const device_query& q) const;
  /// Number of devices matching.
  std::uint64_t count(const device_filter& f) const;
  /// Domains of the tenants (empty = all) with their device counts, ordered by tenant and name.
  std::vector<domain_summary> domains(const std::vector<std::string>& tenants) const;
  entry_ptr find(const std::string& id) const;
  std::size_t size() const { return index_.size(); }
  std::size_t devices_of(const std::string& link) const;
  std::size_t domains_of(const std::string& link) const;
  bool has_link(const std::string& link) const { return links_.count(link) != 0; }
  /// Whether the link's devices are marked stale (set_stale(link, true) and no snapshot since).
  bool is_stale(const std::string& link) const;

private:
  struct counts {
    std::uint32_t total = 0, online = 0;
  };
  struct link_data {
    std::string tenant;
    bool stale = false;
    /// By pooled domain id: a device's domain is found with one pool lookup of its id string
    /// (needed for its entry anyway) and one pointer lookup.
    std::unordered_map<const pooled_string*, domain_summary> domains;
    /// The pooled name of each domain, by pooled id (what a device's entry points to).
    std::unordered_map<const pooled_string*, const pooled_string*> domain_names;
    const pooled_string* link_name = nullptr;
    const pooled_string* tenant_name = nullptr;
    /// By the device's number in its devices-api (its id is "<link>:<number>").
    std::unordered_map<std::int64_t, entry_ptr> devices;
  };

  /// Completes a record for this link in place (ids, tenant, domain name, stale flag); returns
  /// the pooled strings it found on the way.
  pooled_parts complete(const link_data& l, const std::string& link, device_record& rec);
  /// Sets the link's pooled link and tenant names.
  void name_link(link_data& l, const std::string& link, const std::string& tenant);
  /// The domain of `l` with this id; null when unknown.
  const domain_summary* domain_of(const link_data& l, const std::string& domain_id) const;
  /// Inserts or replaces by id; records the change unless nothing differs.
  void put(link_data& l, const device_record& rec, const pooled_parts& known, change_list& out);
  /// `after` takes the slot's place (the slot may be empty: an added device); records the change.
  void store(entry_ptr& slot, entry_ptr after, change_list& out);
  void drop(link_data& l, std::int64_t device_id, change_list& out);
  /// The link and entry slot of a registry device id ("<link>:<number>"); null when unknown.
  const entry_ptr* slot_of(const std::string& id) const;
  void count_in(const device_entry& e, int sign);
  /// Positions of the list a filter needs to look at (one domain's run, or everything).
  std::pair<std::size_t, std::size_t> range_of(const device_filter& f) const;
  /// Devices of a renamed domain get its new name.
  void rename_domain(link_data& l, const std::string& domain_id, change_list& out);

  /// The strings every entry points into: declared first, so it is the last to go.
  string_pool pool_;
  std::map<std::string, link_data> links_;
  device_index index_;
  std::unordered_map<const pooled_string*, counts> counts_; ///< by pooled domain id
};

/// "<link>:<n>", the registry id of a device or domain of that link.
std::string scoped_id(const std::string& link, std::int64_t n);

} // namespace mpk::registry
