// client_session: the device list (domains, paged queries, live changes).

#include "services/gateway/client_state.hpp"

namespace mpk::gateway {

void write_device(json::json_writer& w, const device_record& d, const models::catalog* catalog) {
  w.begin_object()
    .member("id", d.id)
    .member("hwId", d.hw_id)
    .member("name", d.name)
    .member("product", d.product)
    .member("version", d.version)
    .member("type", d.type)
    .member("online", d.online)
    .member("stale", d.stale)
    .member("ip", d.ip)
    .member("domain", d.domain_id)
    .member("domainName", d.domain_name);
  if (catalog) {
    auto s = catalog->find(d.product, d.type, d.version);
    w.member("supported", s.m != nullptr);
    if (!s.m) w.member("reason", s.reason);
  }
  w.end_object();
}

namespace {

/// From now on deltas go to the subscription `src` of query `q`; those up to `accept_after` are
/// already in the page (or belong to the query it replaced). Merged deltas of before are dropped.
void start_delta_stream(client_ptr self, const std::string& src, const device_query& q, std::uint64_t accept_after) {
  auto& st = self->state;
  st.subscribed = true;
  st.list_src = src;
  st.list_query = q;
  st.list_filter = filter_identity(q);
  st.accept_after = accept_after;
  st.pending.clear();
  json::json_writer w;
  w.begin_object().member("mt", "DevicesChanged");
  if (!src.empty()) w.key("src").raw(src);
  st.delta_prefix = w.take();
  st.delta_prefix += ',';
}

/// One DevicesChanged: this client's head + a body shared with every client of the same filter.
void send_delta(client_ptr self, std::shared_ptr<const std::string> body) {
  auto& st = self->state;
  MPK_TRACE(appws, st.who, "out ", st.delta_prefix, *body);
  if (st.conn) st.conn->send_text_parts(st.delta_prefix, std::move(body));
}

} // namespace

void get_domains(client_ptr self, const json::envelope& env) {
  auto to = reply_to::of(env, "GetDomainsResult");
  auto reg = self->state.ctx->services.registry();
  if (!reg) return send_error(self, to, "UNAVAILABLE", "the registry is not reachable right now");
  self->request(reg, service_timeout, atom::domains_v, self->state.tenants)
    .then(
      [=](const std::vector<domain_summary>& domains) {
        json::json_writer w;
        to.begin(w);
        w.key("domains").begin_array();
        for (auto& d : domains)
          w.begin_object()
            .member("id", d.id)
            .member("name", d.name)
            .member("total", d.total)
            .member("online", d.online)
            .member("stale", d.stale)
            .end_object();
        w.end_array().end_object();
        send_frame(self, w.take());
      },
      [=](const caf::error& err) { send_caf_error(self, to, err); });
}

void query_devices(client_ptr self, const json::envelope& env) {
  auto to = reply_to::of(env, "QueryDevicesResult");
  auto reg = self->state.ctx->services.registry();
  if (!reg) return send_error(self, to, "UNAVAILABLE", "the registry is not reachable right now");
  device_query q;
  q.tenants = self->state.tenants;
  q.domain = std::string(env.string("domain").value_or(""));
  if (auto online = env.boolean("online")) q.online = *online ? 1 : 0;
  q.search = std::string(env.string("search").value_or(""));
  if (q.search.size() > 200) return send_error(self, to, "BAD_REQUEST", "search text longer than 200 characters");
  auto offset = env.integer("offset").value_or(0);
  auto limit = env.integer("limit").value_or(50);
  if (offset < 0 || limit < 1 || limit > 500) return send_error(self, to, "BAD_REQUEST", "offset >= 0 and 1 <= limit <= 500");
  q.offset = static_cast<std::uint32_t>(offset);
  q.limit = static_cast<std::uint32_t>(limit);
  bool subscribe = env.boolean("subscribe").value_or(false);
  auto resume = static_cast<std::uint64_t>(std::max<std::int64_t>(0, env.integer("resumeFrom").value_or(0)));
  auto on_page = [=](const device_page& page) {
    if (subscribe) {
      // A resumed page is followed by the missed deltas after `resume`; a fresh one holds them all.
      start_delta_stream(self, to.src, q, page.resumed ? resume : page.seq);
      self->state.last_seq = page.seq;
    }
    json::json_writer w;
    w.reserve(256 + page.devices.size() * 256);
    to.begin(w);
    w.member("total", page.total).member("offset", page.offset).member("seq", page.seq);
    if (subscribe && resume > 0) w.member("resumed", page.resumed);
    w.key("devices").begin_array();
    for (auto& d : page.devices) write_device(w, d, self->state.ctx->catalog);
    w.end_array().end_object();
    send_frame(self, w.take());
  };
  auto on_error = [=](const caf::error& err) { send_caf_error(self, to, err); };
  if (subscribe) self->request(reg, service_timeout, atom::subscribe_v, q, resume).then(on_page, on_error);
  else self->request(reg, service_timeout, atom::query_v, q).then(on_page, on_error);
}

void resubscribe(client_ptr self) {
  auto& st = self->state;
  auto reg = st.ctx->services.registry();
  if (!st.subscribed || !reg) return;
  auto src = st.list_src;
  self->request(reg, service_timeout, atom::subscribe_v, st.list_query, std::uint64_t{0})
    .then(
      [=](const device_page& page) {
        if (!self->state.subscribed || self->state.list_src != src) return;  // unsubscribed or replaced meanwhile
        start_delta_stream(self, src, self->state.list_query, page.seq);
        self->state.last_seq = page.seq;
        json::json_writer w;
        w.begin_object().member("mt", "QueryDevicesResult").key("src").raw(src);
        w.member("total", page.total).member("offset", page.offset).member("seq", page.seq).member("resubscribed", true);
        w.key("devices").begin_array();
        for (auto& d : page.devices) write_device(w, d, self->state.ctx->catalog);
        w.end_array().end_object();
        send_frame(self, w.take());
      },
      [=](const caf::error& err) {
        MPK_WARN(self->state.who, "re-subscribing the device list failed: ", to_string(err));
      });
}

void unsubscribe(client_ptr self, const json::envelope& env) {
  auto to = reply_to::of(env, "UnsubscribeResult");
  if (auto reg = self->state.ctx->services.registry()) self->send(reg, atom::unsubscribe_v);
  self->state.list_src.clear();
  self->state.subscribed = false;
  self->state.pending.clear();
  json::json_writer w;
  to.begin(w);
  w.end_object();
  send_frame(self, w.take());
}

void on_device_delta(client_ptr self, const device_delta& delta) {
  auto& st = self->state;
  // No subscription, or a delta the page already holds / of the query this one replaced.
  if (!st.subscribed || delta.seq <= st.accept_after) return;
  st.last_seq = delta.seq;
  st.ctx->counters.events_fanned_out++;
  auto source = self->current_sender() ? self->current_sender()->address() : caf::actor_addr{};
  auto enc = st.ctx->delta_cache.get(source, st.list_filter, delta, st.ctx->catalog);
  if (!st.pending.empty()) return st.pending.add(std::move(enc));  // a notice of the drain is on its way
  if (!st.conn) return;
  if (st.conn->queued_bytes() > 0) {
    // Bytes still queued for this client: do not queue another message behind them, merge
    // until the connection says its queue ran empty.
    st.pending.add(std::move(enc));
    st.conn->notify_when_drained();
    return;
  }
  send_delta(self, enc->body);
}

void flush_pending_delta(client_ptr self) {
  auto& st = self->state;
  if (st.pending.empty()) return;
  auto body = st.pending.body();
  st.pending.clear();
  send_delta(self, std::move(body));
}

} // namespace mpk::gateway
