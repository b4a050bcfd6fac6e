#include "sim/devices/instance.hpp"

// The instance's database of domains and devices: loading, changes from the control API, lookups.
// Every change is pushed to the subscribed service sessions (instance_service_api.cpp).

#include "common/crypto/random.hpp"
#include "common/crypto/sysclient_crypto.hpp"
#include "common/json/writer.hpp"
#include "sim/devices/sysclient_link.hpp"

namespace mpk::sim {

void devices_instance::load(std::vector<domain_record> domains, std::vector<device_record> devices) {
  std::lock_guard lock(mu_);
  domains_.clear();
  devices_.clear();
  by_hw_.clear();
  for (auto& d : domains) domains_[d.id] = std::move(d);
  by_hw_.reserve(devices.size());
  next_device_id_ = 1;
  for (auto& d : devices) {
    next_device_id_ = std::max(next_device_id_, d.id + 1);
    by_hw_[d.hw_id] = d.id;
    devices_[d.id] = std::move(d);
  }
}

std::string devices_instance::new_sysclient_password() { return crypto::random_hex(16); } // 32 chars, as observed

change_result devices_instance::apply(const device_change& ch) {
  change_result r;
  std::shared_ptr<sysclient_link> notify_link;
  std::string new_password, seed, pwd_hex;
  {
    std::lock_guard lock(mu_);
    device_record* row = nullptr;
    if (ch.id) {
      auto it = devices_.find(*ch.id);
      if (it == devices_.end()) {
        r.error = "unknown device id " + std::to_string(*ch.id);
        return r;
      }
      row = &it->second;
    } else if (ch.hw_id) {
      auto it = by_hw_.find(*ch.hw_id);
      if (it != by_hw_.end()) row = &devices_[it->second];
    }
    if (ch.domain_id && *ch.domain_id != 0 && !domains_.count(*ch.domain_id)) {
      r.error = "unknown domain id " + std::to_string(*ch.domain_id);
      return r;
    }
    if (ch.hw_id && row && row->hw_id != *ch.hw_id && by_hw_.count(*ch.hw_id)) {
      r.error = "hwId " + *ch.hw_id + " belongs to another device";
      return r;
    }
    if (!row) {
      if (!ch.hw_id || ch.hw_id->empty()) {
        r.error = "a new device needs a hwId";
        return r;
      }
      device_record d;
      d.id = next_device_id_++;
      d.hw_id = *ch.hw_id;
      d.product = ch.product.value_or("IP222");
      d.version = ch.version.value_or("13r3 sr10 [13.7100/131286/1300]");
      d.type = ch.type.value_or("PHONE");
      d.name = ch.name.value_or("");
      d.domain_id = ch.domain_id.value_or(0);
      d.pbx_active = ch.pbx_active.value_or(false);
      d.online = ch.online.value_or(false);
      if (ch.ipv4) d.eth_ifs.push_back({"ETH0", *ch.ipv4});
      if (d.domain_id != 0) d.sysclient_password = new_sysclient_password();
      by_hw_[d.hw_id] = d.id;
      auto& stored = devices_[d.id] = std::move(d);
      push_device_locked(nullptr, &stored);
      r.ok = true;
      r.added = true;
      r.id = stored.id;
      return r;
    }
    device_record before = *row;
    if (ch.hw_id && *ch.hw_id != row->hw_id) {
      by_hw_.erase(row->hw_id);
      row->hw_id = *ch.hw_id;
      by_hw_[row->hw_id] = row->id;
    }
    if (ch.name) row->name = *ch.name;
    if (ch.product) row->product = *ch.product;
    if (ch.version) row->version = *ch.version;
    if (ch.type) row->type = *ch.type;
    if (ch.pbx_active) row->pbx_active = *ch.pbx_active;
    if (ch.ipv4) {
      if (row->eth_ifs.empty())
        row->eth_ifs.push_back({"ETH0", *ch.ipv4});
      else
        row->eth_ifs.front().ipv4 = *ch.ipv4;
    }
    // A live device's online flag follows its sysclient link; only DB-only rows take it from here.
    if (ch.online && !row->live) row->online = *ch.online;
    if (ch.domain_id) row->domain_id = *ch.domain_id;
    if (before.domain_id == 0 && row->domain_id != 0) {
      // Put into a domain: the device gets its sysclient password now (0x0001) if it is connected.
      row->sysclient_password = new_sysclient_password();
      if (auto l = link_of_locked(row->hw_id)) {
        notify_link = l;
        new_password = row->sysclient_password;
        auto dom = domains_.find(row->domain_id);
        if (dom != domains_.end() && dom->second.deploy_admin_passwords) {
          seed = crypto::random_hex(8);
          pwd_hex = crypto::encrypt_admin_password(seed, dom->second.admin_password, new_password);
        }
      }
    }
    push_device_locked(&before, row);
    r.ok = true;
    r.id = row->id;
  }
  if (notify_link) {
    notify_link->send_password(new_password);
    if (!seed.empty()) notify_link->send_admin_password(seed, pwd_hex);
  }
  return r;
}

bool devices_instance::remove_device(std::int64_t id) {
  std::shared_ptr<sysclient_link> link;
  {
    std::lock_guard lock(mu_);
    auto it = devices_.find(id);
    if (it == devices_.end()) return false;
    device_record gone = std::move(it->second);
    devices_.erase(it);
    by_hw_.erase(gone.hw_id);
    link = link_of_locked(gone.hw_id);
    links_.erase(gone.hw_id);
    gone.online = false;
    push_device_locked(&gone, nullptr);
  }
  if (link) link->drop(1000, "device removed from Devices");
  return true;
}

change_result devices_instance::apply_domain(const domain_change& ch) {
  std::vector<std::pair<std::shared_ptr<sysclient_link>, std::pair<std::string, std::string>>> deploy;
  auto r = apply_domain_locked(ch, deploy);
  // A new admin password reaches the domain's connected devices at once (0x0003 "may arrive
  // again any time", docs/spec/devices-api.md §5.3).
  for (auto& [link, msg] : deploy) link->send_admin_password(msg.first, msg.second);
  return r;
}

change_result devices_instance::apply_domain_locked(
  const domain_change& ch,
  std::vector<std::pair<std::shared_ptr<sysclient_link>, std::pair<std::string, std::string>>>& deploy) {
  change_result r;
  std::lock_guard lock(mu_);
  if (ch.name && ch.name->empty()) {
    r.error = "a domain name must not be empty";
    return r;
  }
  for (auto& [id, d] : domains_)
    if (ch.name && d.name == *ch.name && (!ch.id || id != *ch.id)) {
      r.error = "a domain named " + *ch.name + " exists already";
      return r;
    }
  if (!ch.id) {
    if (!ch.name) {
      r.error = "a new domain needs a name";
      return r;
    }
    domain_record d;
    d.id = domains_.empty() ? 1 : domains_.rbegin()->first + 1;
    d.name = *ch.name;
    d.password = ch.password.value_or(crypto::random_hex(16));
    d.deploy_admin_passwords = ch.deploy_admin_passwords.value_or(false);
    d.admin_password = ch.admin_password.value_or(d.deploy_admin_passwords ? "adm-" + crypto::random_hex(6) : "");
    auto& stored = domains_[d.id] = std::move(d);
    push_domain_locked(nullptr, &stored);
    r.ok = r.added = true;
    r.id = stored.id;
    return r;
  }
  auto it = domains_.find(*ch.id);
  if (it == domains_.end()) {
    r.error = "unknown domain id " + std::to_string(*ch.id);
    return r;
  }
  domain_record before = it->second;
  auto& d = it->second;
  if (ch.name) d.name = *ch.name;
  if (ch.password) d.password = *ch.password;
  if (ch.deploy_admin_passwords) d.deploy_admin_passwords = *ch.deploy_admin_passwords;
  if (ch.admin_password) d.admin_password = *ch.admin_password;
  push_domain_locked(&before, &d);
  if (d.deploy_admin_passwords && (d.admin_password != before.admin_password || !before.deploy_admin_passwords))
    for (auto& [id, dev] : devices_)
      if (auto link = dev.domain_id == d.id ? link_of_locked(dev.hw_id) : nullptr) {
        auto seed = crypto::random_hex(8);
        deploy.push_back(
          {link, {seed, crypto::encrypt_admin_password(seed, d.admin_password, dev.sysclient_password)}});
      }
  r.ok = true;
  r.id = d.id;
  return r;
}

std::string devices_instance::remove_domain(std::int64_t id) {
  std::lock_guard lock(mu_);
  auto it = domains_.find(id);
  if (it == domains_.end()) return "unknown domain id " + std::to_string(id);
  if (it->second.is_instance_domain) return "the instance domain cannot be removed";
  for (auto& [did, d] : devices_)
    if (d.domain_id == id) return "domain " + it->second.name + " still has devices";
  domain_record gone = std::move(it->second);
  domains_.erase(it);
  push_domain_locked(&gone, nullptr);
  return {};
}

bool devices_instance::set_online_flag(std::string_view hw_id, bool online) {
  std::lock_guard lock(mu_);
  auto it = by_hw_.find(std::string(hw_id));
  if (it == by_hw_.end()) return false;
  auto& d = devices_[it->second];
  if (d.live) return false;
  set_online_locked(d, online);
  return true;
}

void devices_instance::mark_live(std::string_view hw_id, bool live) {
  std::lock_guard lock(mu_);
  auto it = by_hw_.find(std::string(hw_id));
  if (it == by_hw_.end()) return;
  auto& d = devices_[it->second];
  d.live = live;
  if (live && !link_of_locked(d.hw_id)) set_online_locked(d, false);
}

void devices_instance::set_online_locked(device_record& d, bool online) {
  if (d.online == online) return;
  device_record before = d;
  d.online = online;
  push_device_locked(&before, &d);
}

std::optional<device_record> devices_instance::device_by_id(std::int64_t id) const {
  std::lock_guard lock(mu_);
  auto it = devices_.find(id);
  if (it == devices_.end()) return std::nullopt;
  return it->second;
}

std::optional<device_record> devices_instance::device_by_hw(std::string_view hw_id) const {
  std::lock_guard lock(mu_);
  auto it = by_hw_.find(std::string(hw_id));
  if (it == by_hw_.end()) return std::nullopt;
  return devices_.at(it->second);
}

std::optional<domain_record> devices_instance::domain_by_name(std::string_view name) const {
  std::lock_guard lock(mu_);
  for (auto& [id, d] : domains_)
    if (d.name == name) return d;
  return std::nullopt;
}

std::optional<std::string> devices_instance::domain_name_of(std::int64_t id) const {
  std::lock_guard lock(mu_);
  auto it = domains_.find(id);
  if (it == domains_.end()) return std::nullopt;
  return it->second.name;
}

std::vector<domain_record> devices_instance::domains() const {
  std::lock_guard lock(mu_);
  std::vector<domain_record> out;
  out.reserve(domains_.size());
  for (auto& [id, d] : domains_) out.push_back(d);
  return out;
}

std::vector<device_record> devices_instance::devices() const {
  std::lock_guard lock(mu_);
  std::vector<device_record> out;
  out.reserve(devices_.size());
  for (auto& [id, d] : devices_) out.push_back(d);
  return out;
}

std::size_t devices_instance::device_count() const {
  std::lock_guard lock(mu_);
  return devices_.size();
}

std::string devices_instance::devices_json() const {
  json::json_writer w;
  std::lock_guard lock(mu_);
  w.reserve(devices_.size() * 260 + 16);
  w.begin_array();
  for (auto& [id, d] : devices_) write_device(w, d, {}, {});
  w.end_array();
  return w.take();
}

} // namespace mpk::sim
