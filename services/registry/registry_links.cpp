// The registry's side of the devices-api links: which links exist (from the PBXs' granted
// services), their reports (state, snapshot, delta) and the stale rule, supervision, status.

#include "common/actors/atoms.hpp"
#include "common/base/log.hpp"
#include "common/json/writer.hpp"
#include "common/net/cert_text.hpp"
#include "services/registry/devices_link.hpp"
#include "services/registry/registry_state.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include <algorithm>
#include <malloc.h>
#include <set>

namespace mpk::registry {

namespace {

void spawn_link(registry_ptr self, link_entry& l) {
  auto& o = self->state.opts;
  devices_link_options lo;
  lo.id = l.status.id;
  lo.tenant = l.status.tenant;
  lo.service = l.service;
  lo.url = l.status.url;
  lo.io = o.io;
  lo.tls = o.tls;
  lo.tls.pin = l.pin = o.pins.lookup(l.status.id, l.status.url);
  l.status.pinned = l.pin.empty() ? std::string() : net::pin_text(l.pin);
  lo.backoff_min = o.backoff_min;
  lo.backoff_max = o.backoff_max;
  lo.phase_timeout = o.phase_timeout;
  lo.registry = self->address();
  lo.pbx = l.pbx;
  l.actor = spawn_devices_link(self->system(), std::move(lo));
  monitor_once(self, l.actor);
}

/// Stops a link whose service is no longer granted; its devices are removed.
void stop_link(registry_ptr self, std::map<std::string, link_entry>::iterator it) {
  auto& st = self->state;
  MPK_INFO("registry", "devices-api link ", it->first, " stopped: service no longer granted");
  if (it->second.actor) {
    self->demonitor(it->second.actor);
    st.monitored.erase(it->second.actor.address());
    self->send_exit(it->second.actor, caf::exit_reason::user_shutdown);
  }
  auto id = it->first;
  st.links.erase(it);
  publish(self, st.model.remove_link(id));
}

void set_state(link_entry& l, link_state state) {
  if (l.status.state == state) return;
  l.status.state = state;
  l.status.since = utc_now();
}

/// The link is down: its devices go stale once the grace period is over (at once without one),
/// unless it is `up` again by then. The period counts from the first drop: arming again while
/// armed changes nothing, so a link that keeps failing cannot postpone it. A link found `loading`
/// when it ends (the instance is back, its list on the way) gets one more period, no more.
void arm_stale(registry_ptr self, link_entry& l) {
  auto& st = self->state;
  if (l.stale_armed || st.model.is_stale(l.status.id)) return;
  if (st.opts.stale_grace.count() <= 0) {
    publish(self, st.model.set_stale(l.status.id, true));
    return;
  }
  l.stale_armed = true;
  l.stale_extended = false;
  l.stale_epoch = ++st.stale_clock;
  self->delayed_send(self, st.opts.stale_grace, atom::tick_v, l.status.id, l.stale_epoch);
}

void update_counts(registry_ptr self, link_entry& l) {
  l.status.devices = self->state.model.devices_of(l.status.id);
  l.status.domains = self->state.model.domains_of(l.status.id);
}

} // namespace

void on_pbx_up(registry_ptr self, const pbx_info& info, const pbx_link_actor& pbx) {
  auto& st = self->state;
  if (info.tenant.empty()) {
    MPK_WARN("registry", "pbx_up without a tenant name ignored");
    return;
  }
  monitor_once(self, pbx);
  std::set<std::string> wanted;
  for (const auto& s : info.services) {
    if (!s.devices_api || s.name.empty()) continue;
    auto id = info.tenant + "/" + s.name;
    if (!wanted.insert(id).second) continue;
    auto it = st.links.find(id);
    if (it == st.links.end() && s.url.empty()) {
      MPK_WARN("registry", "devices-api service ", id, " has no URL: not connected");
      continue;
    }
    if (it == st.links.end()) {
      link_entry l;
      l.status.id = id;
      l.status.tenant = info.tenant;
      l.status.name = s.name;
      l.status.url = s.url;
      l.status.since = utc_now();
      l.service = s.name;
      l.pbx = pbx;
      it = st.links.emplace(id, std::move(l)).first;
      MPK_INFO("registry", "devices-api link ", id, " at ", s.url);
      spawn_link(self, it->second);
      continue;
    }
    auto& l = it->second;
    l.pbx = pbx;
    l.service = s.name;
    if (!s.url.empty()) l.status.url = s.url;
    // The link itself reconnects when its URL changed and retries a login that waited for us.
    if (l.actor)
      caf::unsafe_send_as(self, l.actor, atom::pbx_up_v, info, pbx);
    else
      spawn_link(self, l);
  }
  for (auto it = st.links.begin(); it != st.links.end();) {
    auto next = std::next(it);
    if (it->second.status.tenant == info.tenant && !wanted.count(it->first)) stop_link(self, it);
    it = next;
  }
  refresh_targets(self);
}

void on_pbx_down(registry_ptr self, const std::string& tenant, const pbx_link_actor& pbx) {
  for (auto& [id, l] : self->state.links) {
    if (l.status.tenant != tenant || (pbx && l.pbx != pbx)) continue;
    l.pbx = nullptr;
    if (l.actor) caf::unsafe_send_as(self, l.actor, atom::pbx_down_v, tenant, pbx);
  }
}

void on_link_event(registry_ptr self, link_update& u) {
  auto& st = self->state;
  auto sender = caf::actor_cast<caf::actor_addr>(self->current_sender());
  auto it = st.links.find(u.link);
  if (it == st.links.end()) {
    // A link we stopped may still have reports in flight: those are dropped. Reports without a
    // sender come from tools and tests feeding the registry directly.
    if (sender || u.link.empty()) return;
    link_entry l;
    l.status.id = u.link;
    l.status.tenant = u.tenant;
    l.status.name = u.link;
    l.status.url = u.url;
    l.status.since = utc_now();
    it = st.links.emplace(u.link, std::move(l)).first;
  } else if (sender && (!it->second.actor || it->second.actor.address() != sender)) {
    return; // an earlier actor of this link
  }
  auto& l = it->second;
  const auto& tenant = l.status.tenant;
  if (!u.url.empty()) l.status.url = u.url;
  if (u.state == link_state::connecting) {
    if (l.started) ++l.status.reconnects;
    l.started = true;
  }
  if (!u.detail.empty() && u.state != link_state::up) l.status.last_error = u.detail;
  l.status.refused_cert = u.state == link_state::untrusted ? net::fingerprint_in(u.detail) : std::string();
  // Lists only come from a link that is up.
  bool list = u.kind == link_update_kind::snapshot || u.kind == link_update_kind::delta;
  set_state(l, list ? link_state::up : u.state);
  if (u.kind == link_update_kind::snapshot) {
    l.key = u.key;
    l.passthrough_base = u.passthrough_base;
    l.status.admin = u.admin;
    l.crashes = 0;
    l.stale_armed = false;
    // Compared with the model: only what differs is published (stale → fresh only for devices
    // that were marked, i.e. after an outage longer than the grace period).
    publish(self, st.model.replace_link(l.status.id, tenant, u.domains, std::move(u.device_chunks)));
    u.device_chunks = {};
    // The load's transient memory (frames, the snapshot's chunks, sort keys) is free now but
    // scattered between the model's allocations: hand its pages back to the system.
    ::malloc_trim(0);
  } else if (u.kind == link_update_kind::delta) {
    publish(self, st.model.apply_delta(l.status.id, tenant, u));
  } else if (!l.up()) {
    // Down (or on the way back up): the session key died; devices stay, and go stale when the
    // link is not up again within the grace period (a short restart flips nothing).
    l.key.clear();
    arm_stale(self, l);
  }
  update_counts(self, l);
  refresh_targets(self);
}

bool on_link_or_pbx_down(registry_ptr self, const caf::actor_addr& who, const caf::error& reason) {
  auto& st = self->state;
  bool handled = false;
  for (auto& [id, l] : st.links) {
    if (l.actor && l.actor.address() == who) {
      handled = true;
      l.actor = nullptr;
      ++l.crashes;
      auto text = self->system().render(reason);
      MPK_WARN("registry", "devices link ", id, " stopped unexpectedly (", text, "); restarting");
      set_state(l, link_state::down);
      l.status.last_error = "link actor stopped: " + text;
      l.key.clear();
      arm_stale(self, l);
      auto delay = st.opts.backoff_min * (1u << std::min<std::uint32_t>(l.crashes - 1, 6));
      self->delayed_send(self, std::min(delay, st.opts.backoff_max), atom::retry_v, id);
    }
    if (l.pbx && l.pbx.address() == who) {
      handled = true;
      auto pbx = l.pbx;
      l.pbx = nullptr;
      if (l.actor) caf::unsafe_send_as(self, l.actor, atom::pbx_down_v, l.status.tenant, pbx);
    }
  }
  if (handled) refresh_targets(self);
  return handled;
}

void on_stale_grace_over(registry_ptr self, const std::string& id, std::uint64_t epoch) {
  auto& st = self->state;
  auto it = st.links.find(id);
  if (it == st.links.end()) return;
  auto& l = it->second;
  if (!l.stale_armed || epoch != l.stale_epoch) return; // back in time, or an older timer
  if (l.up()) {
    l.stale_armed = false;
    return;
  }
  if (l.status.state == link_state::loading && !l.stale_extended) {
    // The instance answered and its list is on the way: a large list may take a moment more.
    l.stale_extended = true;
    l.stale_epoch = ++st.stale_clock;
    self->delayed_send(self, st.opts.stale_grace, atom::tick_v, id, l.stale_epoch);
    return;
  }
  l.stale_armed = false;
  MPK_INFO("registry", "devices-api link ", id, " down for ", st.opts.stale_grace.count(),
           " ms: its devices are stale");
  publish(self, st.model.set_stale(id, true));
  refresh_targets(self);
}

void respawn_link(registry_ptr self, const std::string& id) {
  auto it = self->state.links.find(id);
  if (it == self->state.links.end() || it->second.actor || it->second.service.empty()) return;
  spawn_link(self, it->second);
}

std::string pin_certificate(registry_ptr self, const std::string& id, const std::string& hex) {
  auto& st = self->state;
  auto refuse = [&](const char* code, const std::string& text) {
    MPK_WARN("registry", "certificate pin for ", id, " refused: ", text);
    json::json_writer w;
    w.begin_object().member("ok", false).member("error", code).member("errorText", text).end_object();
    return w.take();
  };
  auto it = st.links.find(id);
  if (it == st.links.end()) return refuse("UNKNOWN_LINK", "no devices-api link '" + id + "'");
  auto pin = net::parse_pin(net::pin_text(hex));
  if (!pin) return refuse("BAD_REQUEST", "a fingerprint is 64 hex digits (SHA-256)");
  std::string err;
  if (!st.opts.pins.pin(id, *pin, err)) return refuse("PIN_FAILED", err);
  MPK_INFO("registry", "devices-api link ", id, ": certificate ", net::pin_text(*pin), " pinned by the operator (",
           st.opts.pins.file(), "); reconnecting");
  auto& l = it->second;
  if (l.actor) {
    // The running attempt still trusts the old way: a new link actor takes the pin.
    self->demonitor(l.actor);
    st.monitored.erase(l.actor.address());
    self->send_exit(l.actor, caf::exit_reason::user_shutdown);
    l.actor = nullptr;
  }
  if (!l.service.empty()) spawn_link(self, l);
  json::json_writer w;
  w.begin_object()
    .member("ok", true)
    .member("link", id)
    .member("pin", net::pin_text(*pin))
    .member("file", st.opts.pins.file())
    .end_object();
  return w.take();
}

std::string status_of(registry_ptr self, const tenant_scope& scope) {
  std::vector<link_status> shown;
  for (auto& [id, l] : self->state.links) {
    if (!scope.covers(l.status.tenant)) continue;
    update_counts(self, l);
    shown.push_back(l.status);
  }
  return status_json(shown);
}

void log_status(registry_ptr self, const tenant_scope& scope) {
  std::size_t shown = 0;
  for (auto& [id, l] : self->state.links) {
    if (!scope.covers(l.status.tenant)) continue;
    ++shown;
    update_counts(self, l);
    MPK_INFO("registry", status_line(l.status));
  }
  if (shown == 0) MPK_INFO("registry", "no devices-api links");
}

} // namespace mpk::registry
