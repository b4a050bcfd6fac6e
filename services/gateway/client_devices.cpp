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

std::string page_frame(const reply_to& to, const device_page& page, const models::catalog* catalog, bool show_resumed,
                       bool resubscribed) {
  json::json_writer w;
  w.reserve(256 + page.devices.size() * 256);
  to.begin(w);
  w.member("total", page.total).member("offset", page.offset).member("seq", page.seq);
  if (show_resumed) w.member("resumed", page.resumed);
  if (resubscribed) w.member("resubscribed", true);
  w.key("devices").begin_array();
  for (auto& d : page.devices) write_device(w, d, catalog);
  w.end_array().end_object();
  return w.take();
}

namespace {

/// Joins the hub of `q`'s filter at the current registry: the hub sends the page on our
/// connection, then the deltas after it. A hub that retired just before our join is replaced once.
void join_hub(client_ptr self, const reply_to& to, const device_query& q, std::uint64_t resume, bool resubscribed,
              bool retried = false) {
  auto& st = self->state;
  auto reg = st.ctx->services.registry();
  if (!reg) return send_unavailable(self, to, service_kind::registry);
  auto hub = st.ctx->hubs.get(self->system(), st.ctx, reg, filter_identity(q));
  if (st.hub && st.hub != hub) self->send(st.hub, atom::unsubscribe_v);
  st.hub = hub;
  st.subscribed = true;
  st.list_src = to.src;
  st.list_query = q;
  // The hub's timeout covers the registry's answer; ours is longer so that its error reaches us.
  self
    ->request(hub, service_timeout + std::chrono::seconds(2), atom::subscribe_v, st.conn, q, resume, to.src, to.api,
              resubscribed, st.who)
    .then([](std::uint64_t) {},
          [=](const caf::error& err) {
            if (err == caf::sec::request_receiver_down && !retried && self->state.hub == hub)
              return join_hub(self, to, q, resume, resubscribed, true);
            if (resubscribed) {
              MPK_WARN(self->state.who, "re-subscribing the device list failed: ", to_string(err));
              return;
            }
            send_caf_error(self, to, err, service_kind::registry);
          });
}

} // namespace

void get_domains(client_ptr self, const json::envelope& env) {
  auto to = reply_to::of(env, "GetDomainsResult");
  auto reg = self->state.ctx->services.registry();
  if (!reg) return send_unavailable(self, to, service_kind::registry);
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
      [=](const caf::error& err) { send_caf_error(self, to, err, service_kind::registry); });
}

void query_devices(client_ptr self, const json::envelope& env) {
  auto to = reply_to::of(env, "QueryDevicesResult");
  auto reg = self->state.ctx->services.registry();
  if (!reg) return send_unavailable(self, to, service_kind::registry);
  device_query q;
  q.tenants = self->state.tenants;
  q.domain = std::string(env.string("domain").value_or(""));
  if (auto online = env.boolean("online")) q.online = *online ? 1 : 0;
  q.search = std::string(env.string("search").value_or(""));
  if (q.search.size() > 200) return send_error(self, to, "BAD_REQUEST", "search text longer than 200 characters");
  auto offset = env.integer("offset").value_or(0);
  auto limit = env.integer("limit").value_or(50);
  if (offset < 0 || limit < 1 || limit > 500)
    return send_error(self, to, "BAD_REQUEST", "offset >= 0 and 1 <= limit <= 500");
  q.offset = static_cast<std::uint32_t>(offset);
  q.limit = static_cast<std::uint32_t>(limit);
  bool subscribe = env.boolean("subscribe").value_or(false);
  auto resume = static_cast<std::uint64_t>(std::max<std::int64_t>(0, env.integer("resumeFrom").value_or(0)));
  if (subscribe) return join_hub(self, to, q, resume, false);
  self->request(reg, service_timeout, atom::query_v, q)
    .then(
      [=](const device_page& page) { send_frame(self, page_frame(to, page, self->state.ctx->catalog, false, false)); },
      [=](const caf::error& err) { send_caf_error(self, to, err, service_kind::registry); });
}

void resubscribe(client_ptr self) {
  auto& st = self->state;
  if (!st.subscribed) return;
  reply_to to;
  to.mt = "QueryDevicesResult";
  to.src = st.list_src;
  auto q = st.list_query;
  // The hub of the old registry retired with it; the new registry's hub sends a fresh page.
  st.hub = nullptr;
  join_hub(self, to, q, 0, true);
}

void list_unavailable(client_ptr self) {
  auto& st = self->state;
  if (!st.subscribed) return;
  // The subscription stays: a registry that comes back gets it again and the browser a fresh page.
  auto e = service_unavailable(service_kind::registry);
  json::json_writer w;
  json::begin_message(w, "DevicesUnavailable", {}, {});
  if (!st.list_src.empty()) w.key("src").raw(st.list_src);
  w.member("error", e.code).member("errorText", e.text).member("retryAfterMs", e.retry_after_ms).end_object();
  send_frame(self, w.take());
}

void leave_hub(client_ptr self) {
  auto& st = self->state;
  if (st.hub) self->send(st.hub, atom::unsubscribe_v);
  st.hub = nullptr;
  st.subscribed = false;
  st.list_src.clear();
}

void unsubscribe(client_ptr self, const json::envelope& env) {
  auto to = reply_to::of(env, "UnsubscribeResult");
  leave_hub(self);
  json::json_writer w;
  to.begin(w);
  w.end_object();
  send_frame(self, w.take());
}

} // namespace mpk::gateway
