#include "sim/devices/instance.hpp"

// The sysclient side of the instance (docs/spec/devices-api.md §5): a device's identify and digest
// login (§5.3), which puts it online and may hand it its sysclient and admin passwords.

#include "common/crypto/constant_time.hpp"
#include "common/crypto/random.hpp"
#include "common/crypto/sysclient_crypto.hpp"
#include "common/json/envelope.hpp"
#include "common/json/writer.hpp"
#include "sim/devices/sysclient_link.hpp"

namespace mpk::sim {

net::handler_ptr devices_instance::open_sysclient() {
  if (down_) return nullptr;
  return std::make_shared<sysclient_link>(shared_from_this());
}

devices_instance::identify_outcome devices_instance::identify(const std::shared_ptr<sysclient_link>& link,
                                                              const device_record& rep,
                                                              std::string_view provisioning_code) {
  identify_outcome out;
  std::shared_ptr<sysclient_link> replaced;
  {
    std::lock_guard lock(mu_);
    if (down_) {
      out.error = "Devices instance restarting";
      return out;
    }
    auto code = provisioning_code.empty() ? codes_.end() : codes_.find(std::string(provisioning_code));
    auto it = by_hw_.find(rep.hw_id);
    device_record* row = nullptr;
    device_record before;
    bool added = false;
    if (it != by_hw_.end()) {
      row = &devices_[it->second];
      if (row->domain_id != 0) {
        // In a domain: the device must prove it holds the sysclient password (docs/spec/devices-api.md §5.3).
        out.what = identify_outcome::challenge;
        return out;
      }
      before = *row;
    } else {
      device_record d;
      d.id = next_device_id_++;
      d.hw_id = rep.hw_id;
      d.name = rep.name;
      by_hw_[d.hw_id] = d.id;
      row = &(devices_[d.id] = std::move(d));
      added = true;
    }
    row->product = rep.product;
    row->version = rep.version;
    row->type = rep.type.empty() ? "PHONE" : rep.type;
    row->pbx_active = rep.pbx_active;
    if (!rep.eth_ifs.empty()) row->eth_ifs = rep.eth_ifs;
    if (code != codes_.end()) {
      // A provisioning code puts the new device into the code's domain (docs/spec/devices-api.md §5.3 flow).
      row->domain_id = code->second.domain_id;
      row->sysclient_password = new_sysclient_password();
      out.sysclient_password = row->sysclient_password;
      code->second.device_id = row->id;
      auto dom = domains_.find(row->domain_id);
      if (dom != domains_.end() && dom->second.deploy_admin_passwords) {
        out.admin_seed = crypto::random_hex(8);
        out.admin_pwd_hex =
          crypto::encrypt_admin_password(out.admin_seed, dom->second.admin_password, row->sysclient_password);
      }
    }
    row->online = true;
    if (auto l = link_of_locked(row->hw_id); l != link) replaced = l;
    links_[row->hw_id] = link;
    push_device_locked(added ? nullptr : &before, row);
    if (code != codes_.end()) {
      auto s = sessions_.find(code->second.conn_id);
      if (s != sessions_.end()) {
        json::json_writer w;
        json::begin_message(w, "DeviceProvisioned", {}, code->second.src);
        w.key("device");
        write_device(w, *row, http_base_ + path() + "/passthrough/", s->second->key);
        w.member("code", code->first).end_object();
        s->second->send_text(w.take());
      }
    }
    out.what = identify_outcome::accepted;
  }
  if (replaced) replaced->drop(1000, "replaced by a newer connection of the same device");
  return out;
}

devices_instance::identify_outcome devices_instance::authenticate(const std::shared_ptr<sysclient_link>& link,
                                                                  const device_record& rep, std::string_view challenge,
                                                                  std::string_view digest) {
  identify_outcome out;
  std::shared_ptr<sysclient_link> replaced;
  {
    std::lock_guard lock(mu_);
    auto it = by_hw_.find(rep.hw_id);
    if (it == by_hw_.end()) {
      out.error = "unknown device";
      return out;
    }
    auto& row = devices_[it->second];
    auto expected = crypto::sysclient_digest(rep.hw_id, rep.product, rep.version, challenge, row.sysclient_password);
    if (row.sysclient_password.empty() || !crypto::digest_equal(expected, digest)) {
      out.error = "bad digest";
      return out;
    }
    device_record before = row;
    row.product = rep.product;
    row.version = rep.version;
    if (!rep.type.empty()) row.type = rep.type;
    row.pbx_active = rep.pbx_active;
    if (!rep.eth_ifs.empty()) row.eth_ifs = rep.eth_ifs;
    row.online = true;
    if (auto l = link_of_locked(row.hw_id); l != link) replaced = l;
    links_[row.hw_id] = link;
    push_device_locked(&before, &row);
    auto dom = domains_.find(row.domain_id);
    if (dom != domains_.end() && dom->second.deploy_admin_passwords) {
      out.admin_seed = crypto::random_hex(8);
      out.admin_pwd_hex =
        crypto::encrypt_admin_password(out.admin_seed, dom->second.admin_password, row.sysclient_password);
    }
    out.what = identify_outcome::accepted;
  }
  if (replaced) replaced->drop(1000, "replaced by a newer connection of the same device");
  return out;
}

std::shared_ptr<sysclient_link> devices_instance::link_of_locked(const std::string& hw_id) const {
  auto l = links_.find(hw_id);
  return l == links_.end() ? nullptr : l->second.lock();
}

void devices_instance::link_closed(const sysclient_link* link, const std::string& hw_id) {
  std::lock_guard lock(mu_);
  auto l = links_.find(hw_id);
  if (l == links_.end()) return;
  if (auto current = l->second.lock(); current && current.get() != link) return; // already replaced
  links_.erase(l);
  auto it = by_hw_.find(hw_id);
  if (it != by_hw_.end()) set_online_locked(devices_[it->second], false);
}

} // namespace mpk::sim
