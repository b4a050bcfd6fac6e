#include "common/node/phone_router.hpp"

#include "common/actors/atoms.hpp"
#include "common/base/log.hpp"
#include "common/node/connector.hpp"
#include "common/node/relayed_requests.hpp"
#include "common/node/shard.hpp"
#include "common/node/target_down.hpp"

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <map>
#include <set>

namespace mpk::cluster {

namespace {

struct router_state {
  std::vector<caf::actor> connectors;
  std::map<std::string, phone_manager_actor> nodes;              ///< phone-session nodes up, by peer text
  std::map<std::string, std::set<phone_watcher_actor>> watchers; ///< by device
  /// Watchers monitored, with the number of devices each watches here: one monitor per watcher,
  /// removed when it watches nothing (a browser that switches phones all day would otherwise
  /// collect one monitor per switch, each a down message when it ends).
  std::map<caf::actor_addr, std::size_t> monitored;
  std::map<std::string, std::string> placed; ///< device -> node it was watched on
  relayed_requests relayed;                  ///< requests on their way to a node (failed when its link is lost)
  static inline const char* name = "phone_router";
};

/// The PHONE MANAGER's interface, plus what its connectors report (connector.hpp).
using router_actor = phone_manager_actor::extend<caf::reacts_to<atom::link_event, std::string, caf::actor>,
                                                 caf::reacts_to<atom::link_event, std::string>>;
using router_ptr = router_actor::stateful_pointer<router_state>;

/// `watcher` stopped watching one device here; its monitor goes when it watches none.
void release_watcher(router_ptr self, const caf::actor_addr& watcher) {
  auto& st = self->state;
  auto it = st.monitored.find(watcher);
  if (it == st.monitored.end() || --it->second > 0) return;
  st.monitored.erase(it);
  self->demonitor(watcher);
}

std::vector<std::string> node_names(const router_state& st) {
  std::vector<std::string> v;
  for (auto& [n, h] : st.nodes) v.push_back(n);
  return v;
}

/// The node that owns `device` and its phone manager ("" and a null handle while no node is up).
std::pair<std::string, phone_manager_actor> owner_node(router_ptr self, const std::string& device) {
  auto& st = self->state;
  auto n = owner_of(device, node_names(st));
  return {n, n.empty() ? phone_manager_actor{} : st.nodes[n]};
}

phone_manager_actor owner(router_ptr self, const std::string& device) { return owner_node(self, device).second; }

/// After a node change: watched phones whose owner changed move to the new owner.
void rebalance(router_ptr self) {
  auto& st = self->state;
  auto names = node_names(st);
  std::size_t moved = 0;
  for (auto& [device, ws] : st.watchers) {
    auto now = owner_of(device, names);
    auto& before = st.placed[device];
    if (now == before) continue;
    auto old = st.nodes.find(before);
    if (old != st.nodes.end())
      for (auto& w : ws) self->send(old->second, atom::unwatch_v, device, w);
    before = now;
    if (now.empty()) continue; // no node at all: watchers are told when one comes
    ++moved;
    for (auto& w : ws) self->send(w, atom::retry_v, std::string("phones"));
  }
  MPK_INFO("phone-router", st.nodes.size(), " phone-session node(s) up; ", moved, " watched phone(s) moved");
}

/// To the node that owns the phone, answered through the router, so that losing that node's link
/// answers it at once (relayed_requests.hpp); with no node up it fails at once (target_down.hpp).
template <class Answer, class... Ts>
caf::result<Answer> to_owner(router_ptr self, const std::string& device, Ts&&... xs) {
  auto [node, handle] = owner_node(self, device);
  return self->state.relayed.relay<Answer>(self, node, handle, std::forward<Ts>(xs)...);
}

/// The phone-session process of `peer` is gone (link lost, or a new process on the same peer).
void fail_relayed(router_ptr self, const std::string& peer) {
  if (auto n = self->state.relayed.fail_all(peer))
    MPK_WARN("phone-router", n, " request(s) in flight to phone-session node ", peer,
             " answered as failed: node link lost");
}

/// Asks every node and concatenates their JSON arrays; fails while no node is up (so that
/// /healthz reports the phone sessions as unavailable).
template <class... Ts>
caf::result<std::string> gather(router_ptr self, Ts... xs) {
  auto& st = self->state;
  if (st.nodes.empty()) return caf::make_error(caf::sec::request_receiver_down);
  auto rp = self->make_response_promise();
  auto parts = std::make_shared<std::vector<std::string>>();
  auto pending = std::make_shared<std::size_t>(st.nodes.size());
  auto done = [=]() mutable {
    if (--*pending > 0) return;
    std::string out = "[";
    for (auto& p : *parts) {
      if (p.size() < 2 || p.front() != '[' || p.back() != ']') continue;
      auto inner = p.substr(1, p.size() - 2);
      if (inner.find_first_not_of(" \n\t") == std::string::npos) continue;
      if (out.size() > 1) out += ",";
      out += inner;
    }
    rp.deliver(out + "]");
  };
  for (auto& [n, h] : st.nodes)
    self->request(h, std::chrono::seconds(5), xs...)
      .then(
        [=](const std::string& json) mutable {
          parts->push_back(json);
          done();
        },
        [=](const caf::error&) mutable { done(); });
  return rp;
}

/// "Log Service Connections": every node writes its sessions (of the scope in `xs`).
template <class... Ts>
void log_nodes(router_ptr self, Ts... xs) {
  MPK_INFO("phone-router", self->state.nodes.size(), " phone-session node(s) up, ", self->state.watchers.size(),
           " watched phone(s)");
  for (auto& [n, h] : self->state.nodes) self->send(h, atom::log_status_v, xs...);
}

router_actor::behavior_type phone_router(router_ptr self, std::vector<peer_address> peers) {
  for (auto& p : peers)
    self->state.connectors.push_back(spawn_connector(self->system(), p, caf::actor_cast<caf::actor>(self)));
  self->set_down_handler([=](caf::down_msg& dm) {
    auto& st = self->state;
    st.monitored.erase(dm.source);
    for (auto it = st.watchers.begin(); it != st.watchers.end();) {
      for (auto w = it->second.begin(); w != it->second.end();)
        w = w->address() == dm.source ? it->second.erase(w) : std::next(w);
      if (it->second.empty()) {
        st.placed.erase(it->first);
        it = st.watchers.erase(it);
      } else {
        ++it;
      }
    }
  });
  self->set_exit_handler([=](caf::exit_msg& em) {
    for (auto& c : self->state.connectors) self->send_exit(c, em.reason);
    self->quit(em.reason);
  });
  return {
    // The node publishes its phone manager's supervisor, which hands every message on to the
    // manager: it answers the PHONE MANAGER's messages.
    [=](atom::link_event, const std::string& peer, const caf::actor& node) {
      fail_relayed(self, peer); // a new process on a peer we knew: requests to the old one are lost
      self->state.nodes[peer] = caf::actor_cast<phone_manager_actor>(node);
      // A restarted node lost its sessions: its watchers watch again even if the owner did not change.
      for (auto& [device, n] : self->state.placed)
        if (n == peer) n.clear();
      rebalance(self);
    },
    [=](atom::link_event, const std::string& peer) {
      self->state.nodes.erase(peer);
      fail_relayed(self, peer);
      rebalance(self);
    },
    [=](atom::watch, const std::string& device, const std::vector<std::string>& tenants,
        const phone_watcher_actor& watcher) {
      auto& st = self->state;
      if (watcher && st.watchers[device].insert(watcher).second && st.monitored[watcher.address()]++ == 0)
        self->monitor(watcher);
      st.placed[device] = owner_of(device, node_names(st));
      return to_owner<phone_target>(self, device, atom::watch_v, device, tenants, watcher);
    },
    [=](atom::unwatch, const std::string& device, const phone_watcher_actor& watcher) {
      auto& st = self->state;
      auto it = st.watchers.find(device);
      if (it != st.watchers.end()) {
        if (it->second.erase(watcher)) release_watcher(self, watcher.address());
        if (it->second.empty()) {
          st.watchers.erase(it);
          st.placed.erase(device);
        }
      }
      // One-way, like frame_ack: without a node up there is nothing to unwatch (a node that comes
      // back starts without sessions), and an error sent back would end the sender (CAF's default
      // error handler quits), e.g. a browser session whose frame ack came while the node restarted.
      if (auto h = owner(self, device)) self->send(h, atom::unwatch_v, device, watcher);
    },
    [=](atom::frame_ack, const std::string& device, std::uint32_t seq, const phone_watcher_actor& watcher) {
      if (auto h = owner(self, device)) self->send(h, atom::frame_ack_v, device, seq, watcher);
    },
    [=](atom::command, const phone_command& c) { return to_owner<command_result>(self, c.device, atom::command_v, c); },
    [=](atom::admin_http, const std::string& device, const std::string& method, const std::string& path,
        const std::string& body) {
      return to_owner<relayed_http>(self, device, atom::admin_http_v, device, method, path, body);
    },
    [=](atom::audit, const std::string& device, std::uint32_t limit) {
      if (device.empty()) return gather(self, atom::audit_v, device, limit);
      return to_owner<std::string>(self, device, atom::audit_v, device, limit);
    },
    [=](atom::audit, const audit_note& note) {
      return to_owner<bool>(self, note.device, atom::audit_v, note); // the node whose log GetAudit reads
    },
    [=](atom::status) { return gather(self, atom::status_v); },
    [=](atom::wire_check, const std::string& device, const std::vector<std::string>& acts, const actor_identity& who) {
      return to_owner<std::string>(self, device, atom::wire_check_v, device, acts, who);
    },
    // Every node reads its wire file again; the answers are one array.
    [=](atom::wire_reload) { return gather(self, atom::wire_reload_v); },
    [=](atom::status, const tenant_scope& scope) { return gather(self, atom::status_v, scope); },
    [=](atom::log_status) { log_nodes(self); },
    [=](atom::log_status, const tenant_scope& scope) { log_nodes(self, scope); },
  };
}

} // namespace

phone_manager_actor spawn_phone_router(caf::actor_system& sys, std::vector<peer_address> peers) {
  return sys.spawn(phone_router, std::move(peers));
}

} // namespace mpk::cluster
