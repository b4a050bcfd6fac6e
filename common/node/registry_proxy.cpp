#include "common/node/registry_proxy.hpp"

#include "common/actors/atoms.hpp"
#include "common/base/log.hpp"
#include "common/node/connector.hpp"
#include "common/node/relayed_requests.hpp"
#include "common/node/target_down.hpp"

#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <map>
#include <set>

namespace mpk::cluster {

namespace {

struct proxy_state {
  std::vector<caf::actor> connectors;
  std::map<std::string, registry_actor> up; ///< connected registry nodes by peer text
  std::string serving;                      ///< the peer whose registry gets the traffic
  registry_actor registry;
  std::map<std::string, std::pair<pbx_info, pbx_link_actor>> pbx;        ///< up PBX links by tenant
  std::map<std::string, std::set<target_watcher_actor>> target_watchers; ///< watch_tgt senders by device
  std::set<device_subscriber_actor> subscribers;
  relayed_requests relayed; ///< requests on their way to the serving registry (failed when its link is lost)
  static inline const char* name = "registry_proxy";
};

/// The REGISTRY's interface, plus what its connectors report (connector.hpp).
using proxy_actor = registry_actor::extend<caf::reacts_to<atom::link_event, std::string, caf::actor>,
                                           caf::reacts_to<atom::link_event, std::string>>;
using proxy_ptr = proxy_actor::stateful_pointer<proxy_state>;

/// The sender of the current message, as the callback type it registers for.
template <class Handle>
Handle sender_of(proxy_ptr self) {
  return caf::actor_cast<Handle>(self->current_sender());
}

template <class Handle>
void track(proxy_ptr self, const Handle& a) {
  if (a) self->monitor(a);
}

/// The new registry learns the PBX links and target watchers; subscribers are told to subscribe again.
void replay(proxy_ptr self) {
  auto& st = self->state;
  for (auto& [tenant, e] : st.pbx) caf::anon_send(st.registry, atom::pbx_up_v, e.first, e.second);
  for (auto& [device, senders] : st.target_watchers)
    for (auto& s : senders) caf::send_as(s, st.registry, atom::watch_tgt_v, device);
  for (auto& s : st.subscribers) self->send(s, atom::retry_v, std::string("registry"));
  MPK_INFO("registry-proxy", "registry ", st.serving, " serving: replayed ", st.pbx.size(), " PBX links, ",
           st.target_watchers.size(), " watched targets, ", st.subscribers.size(), " subscribers told");
}

void choose(proxy_ptr self) {
  auto& st = self->state;
  if (!st.serving.empty() && st.up.count(st.serving)) return;
  st.serving.clear();
  st.registry = nullptr;
  if (st.up.empty()) return;
  st.serving = st.up.begin()->first;
  st.registry = st.up.begin()->second;
  replay(self);
}

/// To the registry that serves, which answers the requester directly; while none does, a request
/// fails at once and a one-way message is dropped (target_down.hpp). For messages whose sender the
/// registry keeps (watch_tgt, subscribe).
template <class Answer, class... Ts>
caf::result<Answer> forward(proxy_ptr self, Ts&&... xs) {
  return forward_to<Answer>(self, self->state.registry, std::forward<Ts>(xs)...);
}

/// A plain request to the registry that serves, answered through the proxy, so that losing the
/// registry's link answers it at once (relayed_requests.hpp).
template <class Answer, class... Ts>
caf::result<Answer> relay(proxy_ptr self, Ts&&... xs) {
  auto& st = self->state;
  return st.relayed.relay<Answer>(self, st.serving, st.registry, std::forward<Ts>(xs)...);
}

/// The registry process of `peer` is gone (link lost, or a new process on the same peer).
void fail_relayed(proxy_ptr self, const std::string& peer) {
  if (auto n = self->state.relayed.fail_all(peer))
    MPK_WARN("registry-proxy", n, " request(s) in flight to registry ", peer, " answered as failed: node link lost");
}

proxy_actor::behavior_type registry_proxy(proxy_ptr self, std::vector<peer_address> peers) {
  for (auto& p : peers)
    self->state.connectors.push_back(spawn_connector(self->system(), p, caf::actor_cast<caf::actor>(self)));
  self->set_down_handler([=](caf::down_msg& dm) {
    auto& st = self->state;
    for (auto it = st.subscribers.begin(); it != st.subscribers.end();)
      it = it->address() == dm.source ? st.subscribers.erase(it) : std::next(it);
    for (auto it = st.target_watchers.begin(); it != st.target_watchers.end();) {
      for (auto s = it->second.begin(); s != it->second.end();)
        s = s->address() == dm.source ? it->second.erase(s) : std::next(s);
      it = it->second.empty() ? st.target_watchers.erase(it) : std::next(it);
    }
  });
  self->set_exit_handler([=](caf::exit_msg& em) {
    for (auto& c : self->state.connectors) self->send_exit(c, em.reason);
    self->quit(em.reason);
  });
  return {
    // The node publishes its registry's supervisor, which hands every message on to the registry.
    [=](atom::link_event, const std::string& peer, const caf::actor& reg) {
      self->state.up[peer] = caf::actor_cast<registry_actor>(reg);
      if (self->state.serving == peer) {
        self->state.serving.clear(); // the same peer again: a restarted process
        fail_relayed(self, peer);
      }
      choose(self);
    },
    [=](atom::link_event, const std::string& peer) {
      auto& st = self->state;
      st.up.erase(peer);
      fail_relayed(self, peer);
      bool lost = st.serving == peer;
      if (lost) MPK_WARN("registry-proxy", "registry ", peer, " lost");
      choose(self);
      // No registry serves now: subscribers tell their browsers the list is reconnecting.
      if (lost && !st.registry)
        for (auto& s : st.subscribers) self->send(s, atom::retry_v, std::string("registry-lost"));
    },
    [=](atom::pbx_up, const pbx_info& info, const pbx_link_actor& link) {
      self->state.pbx[info.tenant] = {info, link};
      if (self->state.registry) caf::anon_send(self->state.registry, atom::pbx_up_v, info, link);
    },
    [=](atom::pbx_down, const std::string& tenant, const pbx_link_actor& link) {
      auto it = self->state.pbx.find(tenant);
      if (it != self->state.pbx.end() && it->second.second == link) self->state.pbx.erase(it);
      if (self->state.registry) caf::anon_send(self->state.registry, atom::pbx_down_v, tenant, link);
    },
    [=](atom::query, const device_query& q) { return relay<device_page>(self, atom::query_v, q); },
    [=](atom::domains, const std::vector<std::string>& tenants) {
      return relay<std::vector<domain_summary>>(self, atom::domains_v, tenants);
    },
    [=](atom::target, const std::string& device, const std::vector<std::string>& tenants) {
      return relay<phone_target>(self, atom::target_v, device, tenants);
    },
    [=](atom::pin_cert, const std::string& link, const std::string& hex) {
      return relay<std::string>(self, atom::pin_cert_v, link, hex);
    },
    [=](atom::status) { return relay<std::string>(self, atom::status_v); },
    [=](atom::status, const tenant_scope& scope) { return relay<std::string>(self, atom::status_v, scope); },
    [=](atom::log_status) { return relay<void>(self, atom::log_status_v); },
    [=](atom::log_status, const tenant_scope& scope) { return relay<void>(self, atom::log_status_v, scope); },
    [=](atom::watch_tgt, const std::string& device) {
      auto s = sender_of<target_watcher_actor>(self);
      if (s && self->state.target_watchers[device].insert(s).second) track(self, s);
      return forward<phone_target>(self, atom::watch_tgt_v, device);
    },
    [=](atom::unwatch_tgt, const std::string& device) {
      auto s = sender_of<target_watcher_actor>(self);
      auto it = self->state.target_watchers.find(device);
      if (it != self->state.target_watchers.end()) {
        it->second.erase(s);
        if (it->second.empty()) self->state.target_watchers.erase(it);
      }
      return forward<void>(self, atom::unwatch_tgt_v, device);
    },
    [=](atom::subscribe, const device_query& q, std::uint64_t resume) {
      auto s = sender_of<device_subscriber_actor>(self);
      if (s && self->state.subscribers.insert(s).second) track(self, s);
      return forward<device_page>(self, atom::subscribe_v, q, resume);
    },
    [=](atom::unsubscribe) {
      self->state.subscribers.erase(sender_of<device_subscriber_actor>(self));
      return forward<void>(self, atom::unsubscribe_v);
    },
  };
}

} // namespace

registry_actor spawn_registry_proxy(caf::actor_system& sys, std::vector<peer_address> peers) {
  return sys.spawn(registry_proxy, std::move(peers));
}

} // namespace mpk::cluster
