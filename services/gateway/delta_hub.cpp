#include "services/gateway/delta_hub.hpp"

#include "services/gateway/client_state.hpp"
#include "services/gateway/delta_hub_directory.hpp"
#include "services/gateway/delta_merge.hpp"
#include "services/gateway/gateway_context.hpp"

#include "common/actors/monitor_while_alive.hpp"
#include "common/net/fanout.hpp"

#include <caf/actor_system.hpp>
#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <map>
#include <unordered_map>

namespace mpk::gateway {

namespace {

struct hub_member {
  net::connection_ptr conn;
  std::shared_ptr<const std::string> prefix; ///< {"mt":"DevicesChanged","src":<src>,
  std::string who;
  std::uint64_t last_seq = 0; ///< deltas up to here are in the member's page or were sent
  delta_merge pending;        ///< merged while the connection had bytes queued
  bool in_batch = false;      ///< takes the hub's lingering batch when it goes out
};

struct hub_state {
  std::shared_ptr<gateway_context> ctx;
  registry_devices_actor registry;
  std::string filter;
  std::unordered_map<caf::actor_addr, hub_member> members;
  /// The newest join of a client still waiting for its page: a later join or a leave supersedes it.
  std::unordered_map<caf::actor_addr, std::uint64_t> joining;
  std::map<caf::actor_addr, list_member_actor> clients; ///< every client that joined (monitored) until it goes down
  std::uint64_t joins = 0;
  std::size_t in_flight = 0; ///< subscribe requests at the registry not answered yet
  /// The deltas to the members, in seq order, one hand-over to the network per delta.
  std::shared_ptr<net::fanout_channel> out = net::fanout_channel::make();
  /// The batch: a delta that comes while the hub's last message is still on its way to the
  /// connections (the channel is busy) waits, merged with the ones after it, until the channel
  /// is free; then ONE message goes to every member that was up to date when the batch opened.
  /// With a linger (gateway.fanout-linger-ms), a delta sooner than `linger` after the last write
  /// also waits, until `linger` has passed.
  std::chrono::milliseconds linger{0};
  std::chrono::steady_clock::time_point last_write{};
  delta_merge batch;           ///< its members are the ones marked in_batch
  std::uint64_t batch_gen = 0; ///< tags the flush tick of the open batch
  static inline const char* name = "delta_hub";
};

/// The hub with what only it sends itself.
using hub_internal_actor = delta_hub_actor::extend<
  /// INTERNAL: (tick, batch generation) the open batch goes out (linger over, or the channel free).
  caf::reacts_to<atom::tick, std::uint64_t>>;
using hub_ptr = hub_internal_actor::stateful_pointer<hub_state>;

std::shared_ptr<const std::string> delta_prefix(const std::string& src) {
  json::json_writer w;
  w.begin_object().member("mt", "DevicesChanged");
  if (!src.empty()) w.key("src").raw(src);
  auto s = w.take();
  s += ',';
  return std::make_shared<const std::string>(std::move(s));
}

void write_to(hub_member& m, std::shared_ptr<const std::string> body) {
  MPK_TRACE(appws, m.who, "out ", *m.prefix, *body);
  m.conn->send_text_parts(m.prefix, std::move(body));
}

/// Bytes queued at a member's connection beyond which it counts as lagging. Below it a message
/// just queues behind the one being written (a fast reader empties that in microseconds); above
/// it the member gets its deltas merged until its queue has drained (delta_merge.hpp), so a
/// slow reader never holds more than one pending message per hub.
constexpr std::size_t lag_bytes = 64 * 1024;

bool lagging(const hub_member& m) { return !m.pending.empty() || m.conn->queued_bytes() > lag_bytes; }

/// Merges into what `m` has pending; the first one asks the connection for a drain notice.
void hold_back(hub_member& m, const std::shared_ptr<const encoded_delta>& enc) {
  bool asked = !m.pending.empty(); // a notice of the drain is on its way
  m.pending.add(enc);
  if (!asked) m.conn->notify_when_drained();
}

/// The batch goes out now: one message to each member that was up to date when it opened.
void flush_batch(hub_ptr self) {
  auto& st = self->state;
  if (st.batch.empty()) return;
  auto body = st.batch.body();
  std::vector<net::fanout_target> now;
  for (auto& [addr, m] : st.members) {
    if (!m.in_batch) continue; // joined after the batch opened (or anew: its page covers it), or lagging
    m.in_batch = false;
    if (lagging(m)) {
      // Fell behind while the batch waited: the batch's deltas go into a merge of its own.
      for (const auto& d : st.batch.held()) hold_back(m, d);
      continue;
    }
    MPK_TRACE(appws, m.who, "out ", *m.prefix, *body);
    now.push_back({m.conn, m.prefix});
  }
  st.batch.clear();
  st.last_write = std::chrono::steady_clock::now();
  if (!now.empty()) st.out->send(std::move(now), std::move(body));
}

/// The batch just opened: it goes out when the linger has passed, or else when the channel is
/// free (at once if it already is).
void schedule_batch(hub_ptr self, bool lingering, std::chrono::steady_clock::time_point now_t) {
  auto& st = self->state;
  auto gen = ++st.batch_gen;
  if (lingering) {
    auto due = st.last_write + st.linger - now_t;
    self->delayed_send(self, std::chrono::duration_cast<std::chrono::microseconds>(due), atom::tick_v, gen);
    return;
  }
  auto hub = self->address(); // weak: the channel lives in this hub's state
  bool busy = st.out->notify_when_idle([hub, gen] {
    if (auto h = caf::actor_cast<hub_internal_actor>(hub)) caf::anon_send(h, atom::tick_v, gen);
  });
  if (!busy) flush_batch(self); // the channel ran free meanwhile
}

void on_delta(hub_ptr self, const device_delta& delta) {
  auto& st = self->state;
  // Keyed by the sender, not by st.registry: behind a cluster proxy a restarted registry process
  // is a new sender whose seqs count from 0 again.
  auto source = self->current_sender() ? self->current_sender()->address() : st.registry.address();
  auto now_t = std::chrono::steady_clock::now();
  // Members join a batch only when it opens: a batch that already holds deltas would give a
  // later joiner changes it has (nothing may arrive twice).
  bool lingering = st.linger.count() > 0 && now_t - st.last_write < st.linger;
  bool opens_batch = st.batch.empty() && (lingering || st.out->busy());
  bool batched = false;
  std::shared_ptr<const encoded_delta> enc;
  std::vector<net::fanout_target> now;
  for (auto& [addr, m] : st.members) {
    // A member whose page (or an earlier replay) already holds this seq: a resumed member gets
    // the registry's replay of what it missed, the others skip those old seqs.
    if (delta.seq <= m.last_seq) continue;
    m.last_seq = delta.seq;
    if (!enc) enc = st.ctx->delta_cache.get(source, st.filter, delta, st.ctx->catalog);
    st.ctx->counters.events_fanned_out++;
    if (m.in_batch) {
      batched = true; // the batch takes this delta once for all its members
      continue;
    }
    if (lagging(m)) {
      hold_back(m, enc);
      continue;
    }
    if (opens_batch) {
      m.in_batch = batched = true;
      continue;
    }
    MPK_TRACE(appws, m.who, "out ", *m.prefix, *enc->body);
    if (now.empty()) now.reserve(st.members.size());
    now.push_back({m.conn, m.prefix});
  }
  // One hand-over to the network for every member that takes the delta now (common/net/fanout.hpp).
  if (!now.empty()) {
    st.last_write = now_t;
    st.out->send(std::move(now), enc->body);
  }
  if (batched) {
    bool opened = st.batch.empty();
    st.batch.add(enc);
    if (opened) schedule_batch(self, lingering, now_t);
  }
}

void flush(hub_member& m) {
  if (m.pending.empty()) return;
  auto body = m.pending.body();
  m.pending.clear();
  write_to(m, std::move(body));
}

void retire(hub_ptr self) {
  auto& st = self->state;
  st.ctx->hubs.forget(st.registry.address(), st.filter, self->address());
  if (st.registry) self->send(st.registry, atom::unsubscribe_v);
  // A client that outlives the hub (it subscribes to the next one after a registry restart)
  // would keep the ended hub's memory through the monitor (monitor_while_alive.hpp).
  for (auto& entry : st.clients) self->demonitor(entry.first);
  st.clients.clear();
  self->quit();
}

/// With no member and no page still to come, the hub retires at once: an idle hub would keep its
/// registry subscription, and a client asking for ever new filters would multiply the registry's
/// work per change. A page in flight is still delivered (it answers a request).
void maybe_retire(hub_ptr self) {
  auto& st = self->state;
  if (st.members.empty() && st.in_flight == 0) retire(self);
}

void join(hub_ptr self, const list_member_actor& client, caf::typed_response_promise<std::uint64_t> rp,
          net::connection_ptr conn, const device_query& q, std::uint64_t resume, const reply_to& to, bool resubscribed,
          const std::string& who) {
  auto& st = self->state;
  if (!client || !conn) {
    rp.deliver(caf::make_error(caf::sec::invalid_argument, "join needs a client and a connection"));
    return;
  }
  auto addr = client.address();
  // Plain: a client usually ends before the hub, taking the monitor with it; retire() removes the
  // monitors of those that outlive it. (monitor_while_alive here would add an entry to the hub per
  // client that ever joined, each holding that client until the hub ends.)
  if (st.clients.emplace(addr, client).second) self->monitor(client);
  auto token = ++st.joins;
  st.joining[addr] = token;
  ++st.in_flight;
  self->request(st.registry, service_timeout, atom::subscribe_v, q, resume)
    .then(
      [=](const device_page& page) mutable {
        auto& st = self->state;
        --st.in_flight;
        auto j = st.joining.find(addr);
        bool current = j != st.joining.end() && j->second == token;
        // The page goes out from here, ahead of every delta after page.seq on the same connection.
        // A request's page is its answer even when superseded; a re-subscription nobody wants any
        // more (the client left or asked anew meanwhile) sends nothing.
        if (current || !resubscribed) {
          auto frame = page_frame(to, page, st.ctx->catalog, resume > 0, resubscribed);
          MPK_TRACE(appws, who, "out ", frame);
          // Through the hub's channel, behind the deltas it handed out before: a direct send
          // would overtake those still on their way, and the browser would get, after its page,
          // changes the page already holds.
          static const auto no_prefix = std::make_shared<const std::string>();
          st.out->send({{conn, no_prefix}}, std::make_shared<const std::string>(std::move(frame)));
        }
        if (current) {
          // A member that joins anew is replaced below by one that is in no batch: its page holds
          // every change of the open batch (the registry sends the page before later deltas).
          st.joining.erase(j);
          hub_member m;
          m.conn = conn;
          m.prefix = delta_prefix(to.src);
          m.who = who;
          // A resumed page is followed by the registry's replay of the deltas after `resume`.
          m.last_seq = page.resumed ? resume : page.seq;
          st.members[addr] = std::move(m);
        }
        rp.deliver(page.seq);
        maybe_retire(self); // the client left meanwhile and nobody else is here
      },
      [=](const caf::error& err) mutable {
        auto& st = self->state;
        --st.in_flight;
        auto j = st.joining.find(addr);
        if (j != st.joining.end() && j->second == token) st.joining.erase(j);
        rp.deliver(err);
        maybe_retire(self);
      });
}

void leave(hub_ptr self, const caf::actor_addr& addr) {
  auto& st = self->state;
  st.members.erase(addr);
  st.joining.erase(addr);
  maybe_retire(self);
}

hub_internal_actor::behavior_type delta_hub(hub_ptr self, std::shared_ptr<gateway_context> ctx,
                                            registry_devices_actor registry, std::string filter) {
  auto& st = self->state;
  st.ctx = std::move(ctx);
  st.registry = std::move(registry);
  st.filter = std::move(filter);
  st.linger = st.ctx->options.fanout_linger;
  // The hub retires before the registry (and a client may outlive it): its monitors go with it,
  // or they would hold the ended hub's memory in the registry (monitor_while_alive.hpp).
  monitor_while_alive(self, st.registry);
  self->set_down_handler([=](const caf::down_msg& dm) {
    auto& st = self->state;
    if (dm.source == st.registry.address()) return retire(self); // clients re-subscribe at the next registry
    st.clients.erase(dm.source);
    leave(self, dm.source);
  });
  return {
    [=](atom::subscribe, net::connection_ptr conn, const device_query& q, std::uint64_t resume, const std::string& src,
        const std::string& api, bool resubscribed, const std::string& who) -> caf::result<std::uint64_t> {
      // The sender first: making the promise takes the request (and its sender) over.
      auto client = caf::actor_cast<list_member_actor>(self->current_sender());
      auto rp = self->make_response_promise<std::uint64_t>();
      reply_to to;
      to.mt = "QueryDevicesResult";
      to.src = src;
      to.api = api;
      join(self, client, rp, std::move(conn), q, resume, to, resubscribed, who);
      return rp;
    },
    [=](atom::unsubscribe) { leave(self, caf::actor_cast<caf::actor_addr>(self->current_sender())); },
    [=](atom::ws_drained) {
      auto& st = self->state;
      auto m = st.members.find(caf::actor_cast<caf::actor_addr>(self->current_sender()));
      if (m != st.members.end()) flush(m->second);
    },
    [=](const device_delta& delta) { on_delta(self, delta); },
    [=](atom::tick, std::uint64_t gen) {
      if (gen == self->state.batch_gen) flush_batch(self);
    },
    // From the cluster's registry proxy: "registry" — a new registry process serves; its seqs start
    // anew, so every client asks again and gets a fresh page ("resubscribed") from it.
    // "registry-lost" — none serves now: every client tells its browser the list is reconnecting.
    [=](atom::retry, const std::string& what) {
      if (what != "registry" && what != "registry-lost") return;
      for (auto& [addr, client] : self->state.clients) self->send(client, atom::retry_v, what);
    },
  };
}

} // namespace

delta_hub_actor spawn_delta_hub(caf::actor_system& sys, std::shared_ptr<gateway_context> ctx,
                                registry_devices_actor registry, std::string filter) {
  return sys.spawn(delta_hub, std::move(ctx), std::move(registry), std::move(filter));
}

// -- the directory ----------------------------------------------------------------------------

delta_hub_actor delta_hub_directory::get(caf::actor_system& sys, const std::shared_ptr<gateway_context>& ctx,
                                         const registry_devices_actor& registry, const std::string& filter) {
  std::lock_guard<std::mutex> g{m_};
  auto& hub = hubs_[key{registry.address(), filter}];
  if (!hub) hub = spawn_delta_hub(sys, ctx, registry, filter);
  return hub;
}

void delta_hub_directory::forget(const caf::actor_addr& registry, const std::string& filter,
                                 const caf::actor_addr& hub) {
  std::lock_guard<std::mutex> g{m_};
  auto it = hubs_.find(key{registry, filter});
  if (it != hubs_.end() && it->second.address() == hub) hubs_.erase(it);
}

std::size_t delta_hub_directory::size() const {
  std::lock_guard<std::mutex> g{m_};
  return hubs_.size();
}

} // namespace mpk::gateway
