// The registry actor: queries, subscriptions with sequence numbers and resume, domains, phone
// targets and their watchers. Link and PBX handling is in registry_links.cpp.

#include "services/registry/registry.hpp"

#include "common/actors/atoms.hpp"
#include "common/actors/errors.hpp"
#include "common/actors/typed_send.hpp"
#include "common/base/log.hpp"
#include "services/registry/registry_state.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include <algorithm>
#include <chrono>
#include <string_view>
#include <unordered_map>

namespace mpk::registry {

registry_state::~registry_state() {
  // Links belong to the registry: they must not outlive it (they would reconnect for ever).
  for (auto& [id, l] : links)
    if (l.actor) caf::anon_send_exit(l.actor, caf::exit_reason::user_shutdown);
}

// -- helpers --------------------------------------------------------------------------------

namespace {

bool same_target(const phone_target& a, const phone_target& b) {
  return a.device == b.device && a.tenant == b.tenant && a.hw_id == b.hw_id && a.product == b.product &&
         a.version == b.version && a.type == b.type && a.name == b.name && a.ip == b.ip &&
         a.domain_name == b.domain_name && a.base_url == b.base_url && a.tls_pin == b.tls_pin && a.online == b.online &&
         a.link_up == b.link_up && a.gone == b.gone && a.epoch == b.epoch;
}

/// The epoch of a device's target: a new one whenever base_url, online, link_up or gone changes.
std::uint64_t epoch_for(registry_ptr self, const phone_target& t) {
  auto& st = self->state;
  std::string fp = t.base_url;
  fp += t.online ? "\n1" : "\n0";
  fp += t.link_up ? "1" : "0";
  fp += t.gone ? "1" : "0";
  auto& slot = st.target_epochs[t.device];
  if (slot.second == 0 || slot.first != fp) slot = {std::move(fp), ++st.target_clock};
  return slot.second;
}

phone_target target_of(registry_ptr self, const std::string& id) {
  if (auto e = self->state.model.find(id)) return make_target(self, *e);
  phone_target t; // unknown or removed: nothing to reach
  t.device = id;
  // Gone only when its link has its list: a registry that restarted, or a link still loading,
  // does not know yet (a device id is "<link id>:<number>").
  auto link = self->state.links.find(id.substr(0, id.rfind(':')));
  t.gone = link != self->state.links.end() && link->second.up();
  t.epoch = epoch_for(self, t);
  return t;
}

} // namespace

phone_target make_target(registry_ptr self, const device_entry& e) {
  const auto r = e.record();
  phone_target t;
  t.device = r.id;
  t.tenant = r.tenant;
  t.hw_id = r.hw_id;
  t.product = r.product;
  t.version = r.version;
  t.type = r.type;
  t.name = r.name;
  t.ip = r.ip;
  t.domain_name = r.domain_name;
  t.online = r.online;
  auto l = self->state.links.find(r.link);
  t.link_up = l != self->state.links.end() && l->second.up();
  // The key is only valid while its session is open: no URL while the link is down.
  if (t.link_up && !l->second.passthrough_base.empty() && !l->second.key.empty() && !r.hw_id.empty())
    t.base_url = l->second.passthrough_base + r.hw_id + "/" + l->second.key + "/";
  if (l != self->state.links.end()) t.tls_pin = l->second.pin;
  t.epoch = epoch_for(self, t);
  return t;
}

void publish(registry_ptr self, change_list changes) {
  if (changes.empty()) return;
  auto& st = self->state;
  auto seq = ++st.seq;
  // Subscribers with an equal filter see the same delta: filter once per distinct filter and send
  // every subscriber of the group the same message (CAF messages are copy-on-write, so in one
  // process 1,000 subscribers share one delta instead of 1,000 copies).
  std::unordered_map<std::string_view, std::vector<const subscription*>> groups;
  groups.reserve(st.subscribers.size());
  for (const auto& [addr, sub] : st.subscribers) groups[sub.filter.key()].push_back(&sub);
  for (const auto& [key, subs] : groups) {
    auto d = filter_delta(seq, changes, subs.front()->filter);
    if (d.added.empty() && d.changed.empty() && d.removed.empty()) continue;
    auto msg = caf::make_message(std::move(d));
    for (const auto* sub : subs) send_shared<device_delta>(self, sub->who, msg);
  }
  for (const auto& c : changes)
    if (!c.after) st.target_epochs.erase(c.before->id());
  st.log.append(seq, std::move(changes));
}

void refresh_targets(registry_ptr self) {
  for (auto& [id, w] : self->state.watches) {
    auto t = target_of(self, id);
    if (same_target(t, w.last)) continue;
    w.last = t;
    for (const auto& who : w.watchers) self->send(who, t);
  }
}

// -- the actor ------------------------------------------------------------------------------

namespace {

registry_internal_actor::behavior_type registry_fn(registry_ptr self, registry_options opts) {
  if (!opts.io) {
    MPK_ERROR("registry", "cannot start: registry_options.io (the network runtime) is missing");
    self->quit(caf::make_error(caf::sec::invalid_argument, "registry needs a network runtime"));
    return registry_internal_actor::behavior_type::make_empty_behavior();
  }
  auto& st = self->state;
  st.log = event_log(std::max<std::size_t>(opts.event_log, 1));
  // Target epochs go on from where an earlier registry process left them: a phone session keeps
  // the newest epoch it saw and drops older ones (an answer overtaken by a push), so a restarted
  // registry counting from 1 again had its fresh targets (the new session keys) dropped until
  // its count passed the old one — minutes of "passthrough refused (403)". Microseconds since
  // the epoch are above any count an earlier process reached.
  st.target_clock = static_cast<std::uint64_t>(
    std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  st.opts = std::move(opts);
  self->set_down_handler([=](caf::down_msg& dm) {
    auto& st = self->state;
    st.monitored.erase(dm.source);
    st.subscribers.erase(dm.source);
    for (auto it = st.watches.begin(); it != st.watches.end();) {
      auto& ws = it->second.watchers;
      ws.erase(
        std::remove_if(ws.begin(), ws.end(), [&](const target_watcher_actor& a) { return a.address() == dm.source; }),
        ws.end());
      it = ws.empty() ? st.watches.erase(it) : std::next(it);
    }
    on_link_or_pbx_down(self, dm.source, dm.reason);
  });
  return {
    // (pbx_up, pbx_info, pbx_link): the tenant's granted devices-api services → links.
    [=](atom::pbx_up, const pbx_info& info, const pbx_link_actor& pbx) { on_pbx_up(self, info, pbx); },
    // (pbx_down, tenant, pbx_link): links keep their sockets, new logins wait.
    [=](atom::pbx_down, const std::string& tenant, const pbx_link_actor& pbx) { on_pbx_down(self, tenant, pbx); },
    // (query, device_query) -> device_page
    [=](atom::query, const device_query& q) {
      auto page = self->state.model.query(q);
      page.seq = self->state.seq;
      return page;
    },
    // (subscribe, device_query, resume_from) -> device_page, then device_delta messages.
    [=](atom::subscribe, const device_query& q, std::uint64_t resume_from) -> caf::result<device_page> {
      auto& st = self->state;
      device_filter filter(q);
      std::optional<std::vector<const logged_delta*>> missed;
      if (resume_from > 0) missed = st.log.since(resume_from, st.seq);
      device_page page;
      if (missed) {
        page.total = st.model.count(filter);
        page.offset = q.offset;
        page.resumed = true;
      } else {
        page = st.model.query(q);
      }
      page.seq = st.seq;
      auto who = caf::actor_cast<device_subscriber_actor>(self->current_sender());
      if (!who) return page; // nobody to send deltas to
      monitor_once(self, who);
      st.subscribers[who.address()] = subscription{who, filter};
      // The page first, then the missed deltas: deliver now so that it is ahead of them.
      auto rp = self->make_response_promise<device_page>();
      rp.deliver(std::move(page));
      if (missed) {
        for (const auto* d : *missed) {
          auto fd = filter_delta(d->seq, d->changes, filter);
          if (!fd.added.empty() || !fd.changed.empty() || !fd.removed.empty()) self->send(who, std::move(fd));
        }
      }
      return rp;
    },
    // (unsubscribe): no more deltas to the sender.
    [=](atom::unsubscribe) { self->state.subscribers.erase(caf::actor_cast<caf::actor_addr>(self->current_sender())); },
    // (domains, tenants) -> domain summaries
    [=](atom::domains, const std::vector<std::string>& tenants) { return self->state.model.domains(tenants); },
    // (target, device, tenants) -> phone_target, or why not
    [=](atom::target, const std::string& id, const std::vector<std::string>& tenants) -> caf::result<phone_target> {
      auto e = self->state.model.find(id);
      if (!e) return make_mpk_error(errc::unknown_device, "unknown device");
      if (!in_scope(tenants, e->tenant->text)) return make_mpk_error(errc::unknown_device, "device outside your scope");
      return make_target(self, *e);
    },
    // (watch_tgt, device) -> phone_target now, then after every change of it
    [=](atom::watch_tgt, const std::string& id) {
      auto& st = self->state;
      auto t = target_of(self, id);
      auto who = caf::actor_cast<target_watcher_actor>(self->current_sender());
      if (who) {
        auto& w = st.watches[id];
        // Watchers already there get the change too, so that `last` stays what everyone saw.
        if (!w.watchers.empty() && !same_target(t, w.last))
          for (const auto& other : w.watchers) self->send(other, t);
        w.last = t;
        if (std::none_of(w.watchers.begin(), w.watchers.end(), [&](const target_watcher_actor& a) { return a == who; }))
          w.watchers.push_back(who);
        monitor_once(self, who);
      }
      return t;
    },
    // (unwatch_tgt, device)
    [=](atom::unwatch_tgt, const std::string& id) {
      auto& st = self->state;
      auto it = st.watches.find(id);
      if (it == st.watches.end()) return;
      auto who = caf::actor_cast<caf::actor_addr>(self->current_sender());
      auto& ws = it->second.watchers;
      ws.erase(std::remove_if(ws.begin(), ws.end(), [&](const target_watcher_actor& a) { return a.address() == who; }),
               ws.end());
      if (ws.empty()) st.watches.erase(it);
    },
    // (status) -> JSON array of the devices-api links
    [=](atom::status) {
      return status_of(self, tenant_scope{true, {}});
    },
    // (status, scope): the links of those tenants only (what a tenant's user may see)
    [=](atom::status, const tenant_scope& scope) { return status_of(self, scope); },
    // (log_status[, scope]): one log line per link ("Log Service Connections")
    [=](atom::log_status) {
      log_status(self, tenant_scope{true, {}});
    },
    [=](atom::log_status, const tenant_scope& scope) { log_status(self, scope); },
    // (pin_cert, link id, sha256 hex) -> JSON: the operator trusts that certificate for the link
    [=](atom::pin_cert, const std::string& id, const std::string& hex) { return pin_certificate(self, id, hex); },
    // INTERNAL: (link_event, link_update) from a devices_link
    [=](atom::link_event, link_update& u) { on_link_event(self, u); },
    // INTERNAL: (tick, link id, epoch) the stale grace period of a link that went down is over
    [=](atom::tick, const std::string& id, std::uint64_t epoch) { on_stale_grace_over(self, id, epoch); },
    // INTERNAL: (retry, link id) respawn a link actor that stopped unexpectedly
    [=](atom::retry, const std::string& id) { respawn_link(self, id); },
  };
}

} // namespace

registry_actor spawn_registry(caf::actor_system& sys, registry_options opts) {
  return sys.spawn(registry_fn, std::move(opts));
}

} // namespace mpk::registry
