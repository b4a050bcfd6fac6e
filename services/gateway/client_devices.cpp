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
      self->state.list_src = to.src;
      self->state.last_seq = page.seq;
      self->state.list_query = q;
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
  if (st.list_src.empty() || !reg) return;
  auto src = st.list_src;
  self->request(reg, service_timeout, atom::subscribe_v, st.list_query, std::uint64_t{0})
    .then(
      [=](const device_page& page) {
        if (self->state.list_src != src) return;  // unsubscribed or replaced meanwhile
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
  json::json_writer w;
  to.begin(w);
  w.end_object();
  send_frame(self, w.take());
}

void on_device_delta(client_ptr self, const device_delta& delta) {
  auto& st = self->state;
  if (st.list_src.empty() && !delta.seq) return;
  st.last_seq = delta.seq;
  json::json_writer w;
  w.begin_object().member("mt", "DevicesChanged");
  if (!st.list_src.empty()) w.key("src").raw(st.list_src);
  w.member("seq", delta.seq);
  auto list = [&](const char* key, const std::vector<device_record>& v) {
    w.key(key).begin_array();
    for (auto& d : v) write_device(w, d, st.ctx->catalog);
    w.end_array();
  };
  list("added", delta.added);
  list("changed", delta.changed);
  w.key("removed").begin_array();
  for (auto& d : delta.removed) w.value(d.id);
  w.end_array().end_object();
  st.ctx->counters.events_fanned_out++;
  send_frame(self, w.take());
}

} // namespace mpk::gateway
