#include "sim/devices/instance.hpp"

#include "common/base/log.hpp"
#include "common/crypto/constant_time.hpp"
#include "common/crypto/random.hpp"
#include "common/crypto/sysclient_crypto.hpp"
#include "common/http/serializer.hpp"
#include "common/net/http_proxy.hpp"
#include "common/net/timer.hpp"
#include "common/json/writer.hpp"
#include "sim/devices/service_session.hpp"
#include "sim/devices/sysclient_link.hpp"

#include <charconv>

namespace mpk::sim {

bool devices_instance::session_state::wants_device(std::int64_t domain) const {
  if (!device_updates || !sees(domain)) return false;
  if (domain == 0) return unassigned_scope;
  return all_domains || scope.count(domain) != 0;
}

devices_instance::devices_instance(net::io_runtime& rt, std::string domain, std::string name, std::string password,
                                   instance_options opts)
  : rt_(rt), domain_(std::move(domain)), name_(std::move(name)), password_(std::move(password)), opts_(std::move(opts)) {
  if (opts_.chunk_size == 0) opts_.chunk_size = 1;
  change_rng_.seed(opts_.seed ^ std::hash<std::string>{}(name_));
}

devices_instance::~devices_instance() = default;

void devices_instance::set_http_base(std::string base) {
  std::lock_guard lock(mu_);
  http_base_ = std::move(base);
}

std::string devices_instance::passthrough_prefix() const {
  std::lock_guard lock(mu_);
  return http_base_ + path() + "/passthrough/";
}

// -- database ----------------------------------------------------------------------

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

std::string devices_instance::new_sysclient_password() { return crypto::random_hex(16); }  // 32 chars, as observed

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
      if (row->eth_ifs.empty()) row->eth_ifs.push_back({"ETH0", *ch.ipv4});
      else row->eth_ifs.front().ipv4 = *ch.ipv4;
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
  // again any time", spec §5.3).
  for (auto& [link, msg] : deploy) link->send_admin_password(msg.first, msg.second);
  return r;
}

change_result devices_instance::apply_domain_locked(
  const domain_change& ch, std::vector<std::pair<std::shared_ptr<sysclient_link>, std::pair<std::string, std::string>>>& deploy) {
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
        deploy.push_back({link, {seed, crypto::encrypt_admin_password(seed, d.admin_password, dev.sysclient_password)}});
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

// -- pushes (mu_ held) ---------------------------------------------------------------

void devices_instance::push_device_locked(const device_record* before, const device_record* after) {
  if (sessions_.empty()) return;
  std::string prefix = http_base_ + path() + "/passthrough/";
  for (auto& [id, s] : sessions_) {
    if (!s->device_updates) continue;
    bool was = before && s->wants_device(before->domain_id);
    bool is = after && s->wants_device(after->domain_id);
    const std::string* mt = nullptr;
    const device_record* dev = nullptr;
    if (was && is) mt = &opts_.pushes.device_update, dev = after;
    else if (was) mt = &opts_.pushes.device_removed, dev = before;
    else if (is) mt = &opts_.pushes.device_added, dev = after;
    else continue;
    json::json_writer w;
    w.begin_object().member("mt", *mt).key("device");
    // A removed device gets no passthrough uri: it cannot be reached any more.
    write_device(w, *dev, dev == after ? std::string_view(prefix) : std::string_view(), s->key);
    w.end_object();
    s->send_text(w.take());  // send_text only queues: safe under mu_, keeps pushes in order
  }
}

void devices_instance::push_domain_locked(const domain_record* before, const domain_record* after) {
  for (auto& [id, s] : sessions_) {
    if (!s->domain_updates) continue;
    bool was = before && s->sees(before->id);
    bool is = after && s->sees(after->id);
    const std::string* mt = nullptr;
    const domain_record* dom = nullptr;
    if (was && is) mt = &opts_.pushes.domain_update, dom = after;
    else if (was) mt = &opts_.pushes.domain_removed, dom = before;
    else if (is) mt = &opts_.pushes.domain_added, dom = after;
    else continue;
    json::json_writer w;
    w.begin_object().member("mt", *mt).key("domain");
    write_domain(w, *dom);
    w.end_object();
    s->send_text(w.take());
  }
}

// -- connections and service sessions --------------------------------------------------

net::handler_ptr devices_instance::open_service() {
  if (down_) return nullptr;
  return std::make_shared<service_session>(shared_from_this());
}

net::handler_ptr devices_instance::open_sysclient() {
  if (down_) return nullptr;
  return std::make_shared<sysclient_link>(shared_from_this());
}

void devices_instance::conn_opened(const net::connection_ptr& c) {
  {
    std::lock_guard lock(mu_);
    if (!down_) {
      open_[c->id()] = c;
      return;
    }
  }
  c->close(1012, "Devices instance restarting");  // upgraded just before a restart began
}

void devices_instance::conn_closed(std::uint64_t conn_id) {
  std::lock_guard lock(mu_);
  open_.erase(conn_id);
  auto it = sessions_.find(conn_id);
  if (it == sessions_.end()) return;
  by_key_.erase(it->second->key);  // the passthrough key dies with its session (spec §3)
  sessions_.erase(it);
}

std::shared_ptr<devices_instance::session_state>
devices_instance::login(const net::connection_ptr& c, std::string_view login_domain,
                        const std::function<bool(std::string_view)>& digest_ok, std::string& error) {
  std::lock_guard lock(mu_);
  auto s = std::make_shared<session_state>();
  const domain_record* dom = nullptr;
  for (auto& [id, d] : domains_)
    if (d.name == login_domain) dom = &d;
  if (login_domain == domain_ && digest_ok(password_)) {
    s->admin = true;  // instance password + instance domain = admin over all domains (spec §1.4)
    if (dom) s->domain_id = dom->id;
  } else if (dom && !dom->password.empty() && digest_ok(dom->password)) {
    s->domain_id = dom->id;  // domain password = that domain only
  } else if (digest_ok(password_)) {
    error = "the instance password is only valid with the instance domain " + domain_;
    return nullptr;
  } else {
    error = dom ? "digest mismatch" : "digest mismatch (no Devices domain named '" + std::string(login_domain) + "')";
    return nullptr;
  }
  if (down_ || !open_.count(c->id())) {
    error = "Devices instance restarting";
    return nullptr;
  }
  s->conn = c;
  s->conn_id = c->id();
  s->key = crypto::make_guid();
  sessions_[c->id()] = s;
  by_key_[s->key] = s;
  return s;
}

void devices_instance::send_domains(const std::shared_ptr<session_state>& s, std::string_view head, bool recv_updates) {
  std::lock_guard lock(mu_);
  if (recv_updates) s->domain_updates = true;
  std::vector<const domain_record*> list;
  for (auto& [id, d] : domains_)
    if (s->sees(id)) list.push_back(&d);
  std::size_t n = opts_.chunk_size;
  std::size_t pos = 0;
  do {
    json::json_writer w;
    w.raw(head);  // the open reply object: {"mt":"GetDomainsResult"[,"api"][,"src"]
    std::string frame = w.take();
    json::json_writer items;
    items.begin_array();
    std::size_t end = std::min(list.size(), pos + n);
    for (; pos < end; ++pos) write_domain(items, *list[pos]);
    items.end_array();
    frame += ",\"domains\":";
    frame += items.str();
    frame += pos >= list.size() ? ",\"last\":true}" : ",\"last\":false}";
    s->send_text(std::move(frame));
  } while (pos < list.size());
}

void devices_instance::send_devices(const std::shared_ptr<session_state>& s, std::string_view head, bool recv_updates,
                                    const std::optional<std::string>& domain_ids, bool unassigned, std::string& error) {
  std::set<std::int64_t> wanted;
  if (domain_ids) {
    std::string_view rest = *domain_ids;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      auto part = rest.substr(0, comma);
      while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
      while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
      if (!part.empty()) {
        std::int64_t v = 0;
        auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
        if (ec != std::errc() || p != part.data() + part.size()) {
          error = "domainIds must be a comma-separated list of domain ids";
          return;
        }
        wanted.insert(v);
      }
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  std::lock_guard lock(mu_);
  if (recv_updates) {
    s->device_updates = true;
    if (unassigned) s->unassigned_scope = true;
    else if (!domain_ids) s->all_domains = true;
    else s->scope.insert(wanted.begin(), wanted.end());
  }
  std::vector<const device_record*> list;
  list.reserve(unassigned ? 64 : devices_.size());
  for (auto& [id, d] : devices_) {
    if (!s->sees(d.domain_id)) continue;
    if (unassigned ? d.domain_id != 0 : d.domain_id == 0) continue;
    if (!unassigned && domain_ids && !wanted.count(d.domain_id)) continue;
    list.push_back(&d);
  }
  std::string prefix = http_base_ + path() + "/passthrough/";
  const auto fault = list_fault_.load();
  if (fault == list_fault::garbage) {
    // Starts like the answer, ends in the middle of a device: not JSON. Nothing follows.
    std::string frame(head);
    frame += ",\"devices\":[{\"id\":1,\"hwId\":\"009033";
    s->send_text(std::move(frame));
    return;
  }
  // half / cut: only the first half of the entries, every chunk with last:false.
  const bool partial = fault == list_fault::half || fault == list_fault::cut;
  if (partial) list.resize(list.size() / 2);
  std::size_t n = opts_.chunk_size;
  std::size_t pos = 0;
  json::json_writer w;
  do {
    std::size_t end = std::min(list.size(), pos + n);
    w.clear();
    w.reserve((end - pos) * 330 + head.size() + 32);
    std::string frame(head);
    frame += ",\"devices\":";
    w.begin_array();
    for (; pos < end; ++pos) write_device(w, *list[pos], prefix, s->key);
    w.end_array();
    frame += w.str();
    frame += pos >= list.size() && !partial ? ",\"last\":true}" : ",\"last\":false}";
    s->send_text(std::move(frame));
  } while (pos < list.size());
  // cut: the service session ends mid-list; close() only queues the close frame behind the chunks.
  if (fault == list_fault::cut)
    if (auto c = s->conn.lock()) c->close(1011, "simulated fault: list cut short");
}

std::size_t devices_instance::unassigned_count(const std::shared_ptr<session_state>& s) const {
  if (!s->admin) return 0;  // unassigned devices are in no domain: only the admin sees them [inf]
  std::lock_guard lock(mu_);
  std::size_t n = 0;
  for (auto& [id, d] : devices_) n += d.domain_id == 0;
  return n;
}

std::optional<std::string> devices_instance::make_provisioning_code(const std::shared_ptr<session_state>& s,
                                                                    std::int64_t domain, std::string src,
                                                                    std::string& error) {
  std::lock_guard lock(mu_);
  if (domain == 0) domain = s->domain_id;
  if (!domains_.count(domain)) {
    error = "unknown domain";
    return std::nullopt;
  }
  if (!s->sees(domain)) {
    error = "no rights for this domain";
    return std::nullopt;
  }
  std::string code = digit_challenge().substr(0, 10);
  codes_[code] = provisioning{domain, s->conn_id, std::move(src), 0};
  return code;
}

void devices_instance::write_provisioned_device(const std::shared_ptr<session_state>& s, const std::string& code,
                                                json::json_writer& w, std::string& error) const {
  std::lock_guard lock(mu_);
  auto it = codes_.find(code);
  if (it == codes_.end() || !s->sees(it->second.domain_id)) {
    error = "unknown provisioning code";
    return;
  }
  if (it->second.device_id == 0) return;  // not used yet
  auto d = devices_.find(it->second.device_id);
  if (d == devices_.end()) return;
  w.key("device");
  write_device(w, d->second, http_base_ + path() + "/passthrough/", s->key);
}

// -- sysclients --------------------------------------------------------------------------

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
        // In a domain: the device must prove it holds the sysclient password (spec §5.3).
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
      // A provisioning code puts the new device into the code's domain (spec §5.3 flow).
      row->domain_id = code->second.domain_id;
      row->sysclient_password = new_sysclient_password();
      out.sysclient_password = row->sysclient_password;
      code->second.device_id = row->id;
      auto dom = domains_.find(row->domain_id);
      if (dom != domains_.end() && dom->second.deploy_admin_passwords) {
        out.admin_seed = crypto::random_hex(8);
        out.admin_pwd_hex = crypto::encrypt_admin_password(out.admin_seed, dom->second.admin_password,
                                                           row->sysclient_password);
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
      out.admin_pwd_hex = crypto::encrypt_admin_password(out.admin_seed, dom->second.admin_password,
                                                         row.sysclient_password);
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
  if (auto current = l->second.lock(); current && current.get() != link) return;  // already replaced
  links_.erase(l);
  auto it = by_hw_.find(hw_id);
  if (it != by_hw_.end()) set_online_locked(devices_[it->second], false);
}

// -- passthrough ---------------------------------------------------------------------------

void devices_instance::passthrough(const net::http_request_info& req, std::string_view rest,
                                   net::http_responder respond) {
  passthroughs_++;
  auto slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) {
    respond(net::http_reply::text(404, "bad passthrough URL: expected passthrough/<hwId>/<key>/<path>\n"));
    return;
  }
  std::string hw(rest.substr(0, slash));
  rest.remove_prefix(slash + 1);
  auto end = rest.find_first_of("/?");
  std::string key(rest.substr(0, end));
  std::string device_path = end == std::string_view::npos ? "/" : std::string(rest.substr(end));
  if (device_path.front() == '?') device_path.insert(0, "/");

  std::shared_ptr<sysclient_link> link;
  std::string host;
  {
    std::lock_guard lock(mu_);
    auto s = by_key_.find(key);
    if (s == by_key_.end()) {
      respond(net::http_reply::text(403, "invalid or expired session key\n"));
      return;
    }
    auto it = by_hw_.find(hw);
    if (it == by_hw_.end()) {
      respond(net::http_reply::text(404, "unknown device\n"));
      return;
    }
    const auto& d = devices_.at(it->second);
    if (!s->second->sees(d.domain_id)) {
      respond(net::http_reply::text(403, "device not accessible with this session key\n"));
      return;
    }
    link = link_of_locked(hw);
    if (!link) {
      respond(net::http_reply::text(503, d.online && !d.live ? "device offline (no live sysclient in this simulation)\n"
                                                             : "device offline\n"));
      return;
    }
    host = d.eth_ifs.empty() || d.eth_ifs.front().ipv4.empty() ? d.hw_id : d.eth_ifs.front().ipv4;
  }
  if (pt_broken_) {
    respond(net::http_reply::text(502, "passthrough broken (simulated fault)\n"));
    return;
  }
  // The request as the device's web server sees it (spec §5.4): method, path, body, the
  // client's end-to-end fields [inf: a tunnel passes them], Host naming the device.
  http::request out;
  out.method = req.method;
  out.target = device_path;
  auto connection = req.header("Connection");
  for (auto& [k, v] : req.headers)
    if (!net::is_hop_by_hop(k, connection) && !http::iequals(k, "Host")) out.headers.items.emplace_back(k, v);
  out.headers.set("Host", host);
  out.body = req.body;
  bool head = req.method == "HEAD";
  auto timeout = opts_.passthrough_timeout;
  auto go = [link, bytes = http::serialize(out), head, timeout, respond = std::move(respond)]() mutable {
    link->tunnel(std::move(bytes), head, timeout, std::move(respond));
  };
  auto delay = std::chrono::milliseconds(pt_delay_ms_.load());
  if (delay.count() > 0) net::run_after(rt_, delay, std::move(go));
  else go();
}

// -- faults ----------------------------------------------------------------------------------

void devices_instance::set_passthrough_fault(std::chrono::milliseconds delay, bool broken) {
  pt_delay_ms_ = delay.count();
  pt_broken_ = broken;
}

devices_instance::restart_report devices_instance::restart(std::chrono::milliseconds down, int changes) {
  restart_report rep;
  std::vector<net::connection_ptr> conns;
  std::uint64_t epoch = 0;
  {
    std::lock_guard lock(mu_);
    down_ = true;
    epoch = ++restart_epoch_;
    for (auto& [id, weak_conn] : open_) {
      if (sessions_.count(id)) rep.services_dropped++;
      if (auto c = weak_conn.lock()) conns.push_back(std::move(c));
    }
    rep.sysclients_dropped = links_.size();
    open_.clear();
    sessions_.clear();  // every key dies now; pushes stop
    by_key_.clear();
    for (int i = 0; i < changes; ++i) rep.changes.push_back(random_change_locked());
  }
  for (auto& c : conns) c->close(1012, "Devices instance restarting");
  std::weak_ptr<devices_instance> weak = shared_from_this();
  net::run_after(rt_, down, [weak, epoch] {
    if (auto self = weak.lock()) {
      std::lock_guard lock(self->mu_);
      // Only the latest restart ends the down time (a second restart extends it).
      if (!self->stopped_ && self->restart_epoch_ == epoch) self->down_ = false;
    }
  });
  MPK_INFO("devices " + name_, "restart: dropped ", conns.size(), " websockets, down for ", down.count(), " ms, ",
           changes, " changes");
  return rep;
}

std::string devices_instance::random_change_locked() {
  auto pick = [&]() -> device_record* {
    if (devices_.empty()) return nullptr;
    for (int tries = 0; tries < 32; ++tries) {
      std::int64_t id = static_cast<std::int64_t>(change_rng_() % static_cast<std::uint64_t>(next_device_id_)) + 1;
      auto it = devices_.lower_bound(id);
      if (it == devices_.end()) it = devices_.begin();
      if (!it->second.live) return &it->second;  // live phones keep their rows: they reconnect as themselves
    }
    return nullptr;
  };
  ++changes_made_;
  switch (change_rng_() % 5) {
  case 0: {
    if (auto* d = pick()) {
      d->name = "Renamed " + std::to_string(changes_made_);
      return "rename id=" + std::to_string(d->id) + " name=" + d->name;
    }
    break;
  }
  case 1: {
    if (auto* d = pick()) {
      d->online = !d->online;
      return "online id=" + std::to_string(d->id) + " online=" + (d->online ? "true" : "false");
    }
    break;
  }
  case 2: {
    auto* d = pick();
    if (d && d->domain_id != 0 && domains_.size() > 1) {
      auto it = domains_.begin();
      std::advance(it, static_cast<long>(change_rng_() % domains_.size()));
      d->domain_id = it->first;
      return "move id=" + std::to_string(d->id) + " domainId=" + std::to_string(d->domain_id);
    }
    break;
  }
  case 3: {
    if (auto* d = pick()) {
      std::int64_t id = d->id;
      by_hw_.erase(d->hw_id);
      devices_.erase(id);
      return "remove id=" + std::to_string(id);
    }
    break;
  }
  default: break;
  }
  // Add a device (also the fallback when a pick failed).
  device_record d;
  d.id = next_device_id_++;
  do d.hw_id = hw_id_for(0xa00000 + (change_rng_() & 0x5fffff));
  while (by_hw_.count(d.hw_id));
  d.name = "Added " + std::to_string(changes_made_);
  if (!domains_.empty()) {
    auto it = domains_.begin();
    std::advance(it, static_cast<long>(change_rng_() % domains_.size()));
    d.domain_id = it->first;
  }
  d.product = "IP222";
  d.version = "13r3 sr10 [13.7100/131286/1300]";
  d.online = false;
  d.sysclient_password = new_sysclient_password();
  by_hw_[d.hw_id] = d.id;
  std::string line = "add id=" + std::to_string(d.id) + " hwId=" + d.hw_id;
  devices_[d.id] = std::move(d);
  return line;
}

void devices_instance::stop() {
  std::vector<net::connection_ptr> conns;
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
    down_ = true;
    for (auto& [id, weak_conn] : open_)
      if (auto c = weak_conn.lock()) conns.push_back(std::move(c));
    open_.clear();
    sessions_.clear();
    by_key_.clear();
    links_.clear();
  }
  for (auto& c : conns) c->close(1001, "simulator stopping");
}

devices_instance::stats devices_instance::statistics() const {
  std::lock_guard lock(mu_);
  stats st;
  st.domains = domains_.size();
  st.devices = devices_.size();
  for (auto& [id, d] : devices_) {
    st.online += d.online;
    st.unassigned += d.domain_id == 0;
  }
  st.service_sessions = sessions_.size();
  st.sysclients = links_.size();
  st.passthroughs = passthroughs_.load();
  st.down = down_.load();
  st.list = list_fault_.load();
  return st;
}

} // namespace mpk::sim
