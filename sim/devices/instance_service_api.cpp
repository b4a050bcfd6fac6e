#include "sim/devices/instance.hpp"

// The com.innovaphone.devices service API of the instance (docs/spec/devices-api.md §1–§2): websocket
// bookkeeping, AppLogin, the chunked GetDomains/GetDevices answers, provisioning codes and the
// pushes of database changes to subscribed sessions.

#include "common/crypto/random.hpp"
#include "common/json/writer.hpp"
#include "sim/devices/service_session.hpp"

#include <charconv>

namespace mpk::sim {

bool devices_instance::session_state::wants_device(std::int64_t domain) const {
  if (!device_updates || !sees(domain)) return false;
  if (domain == 0) return unassigned_scope;
  return all_domains || scope.count(domain) != 0;
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
    if (was && is)
      mt = &opts_.pushes.device_update, dev = after;
    else if (was)
      mt = &opts_.pushes.device_removed, dev = before;
    else if (is)
      mt = &opts_.pushes.device_added, dev = after;
    else
      continue;
    json::json_writer w;
    w.begin_object().member("mt", *mt).key("device");
    // A removed device gets no passthrough uri: it cannot be reached any more.
    write_device(w, *dev, dev == after ? std::string_view(prefix) : std::string_view(), s->key);
    w.end_object();
    s->send_text(w.take()); // send_text only queues: safe under mu_, keeps pushes in order
  }
}

void devices_instance::push_domain_locked(const domain_record* before, const domain_record* after) {
  for (auto& [id, s] : sessions_) {
    if (!s->domain_updates) continue;
    bool was = before && s->sees(before->id);
    bool is = after && s->sees(after->id);
    const std::string* mt = nullptr;
    const domain_record* dom = nullptr;
    if (was && is)
      mt = &opts_.pushes.domain_update, dom = after;
    else if (was)
      mt = &opts_.pushes.domain_removed, dom = before;
    else if (is)
      mt = &opts_.pushes.domain_added, dom = after;
    else
      continue;
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

void devices_instance::conn_opened(const net::connection_ptr& c) {
  {
    std::lock_guard lock(mu_);
    if (!down_) {
      open_[c->id()] = c;
      return;
    }
  }
  c->close(1012, "Devices instance restarting"); // upgraded just before a restart began
}

void devices_instance::conn_closed(std::uint64_t conn_id) {
  std::lock_guard lock(mu_);
  open_.erase(conn_id);
  auto it = sessions_.find(conn_id);
  if (it == sessions_.end()) return;
  by_key_.erase(it->second->key); // the passthrough key dies with its session (docs/spec/devices-api.md §3)
  sessions_.erase(it);
}

std::shared_ptr<devices_instance::session_state> devices_instance::login(
  const net::connection_ptr& c, std::string_view login_domain, const std::function<bool(std::string_view)>& digest_ok,
  std::string& error) {
  std::lock_guard lock(mu_);
  auto s = std::make_shared<session_state>();
  const domain_record* dom = nullptr;
  for (auto& [id, d] : domains_)
    if (d.name == login_domain) dom = &d;
  if (login_domain == domain_ && digest_ok(password_)) {
    s->admin = true; // instance password + instance domain = admin over all domains (docs/spec/devices-api.md §1.4)
    if (dom) s->domain_id = dom->id;
  } else if (dom && !dom->password.empty() && digest_ok(dom->password)) {
    s->domain_id = dom->id; // domain password = that domain only
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
    w.raw(head); // the open reply object: {"mt":"GetDomainsResult"[,"api"][,"src"]
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
    if (unassigned)
      s->unassigned_scope = true;
    else if (!domain_ids)
      s->all_domains = true;
    else
      s->scope.insert(wanted.begin(), wanted.end());
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
  if (!s->admin) return 0; // unassigned devices are in no domain: only the admin sees them [inf]
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
  if (it->second.device_id == 0) return; // not used yet
  auto d = devices_.find(it->second.device_id);
  if (d == devices_.end()) return;
  w.key("device");
  write_device(w, d->second, http_base_ + path() + "/passthrough/", s->key);
}

} // namespace mpk::sim
