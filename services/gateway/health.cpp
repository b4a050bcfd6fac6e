#include "services/gateway/health.hpp"

#include "common/actors/atoms.hpp"
#include "common/json/writer.hpp"
#include "services/gateway/tenant_secrets.hpp"

#include <caf/event_based_actor.hpp>
#include <simdjson.h>

#include <array>
#include <map>
#include <sstream>

namespace mpk::gateway {

namespace {

constexpr auto probe_timeout = std::chrono::milliseconds(1500);

/// Asks the directory, the registry and the phone sessions for their status, then calls `done`
/// with the three JSON documents ("" for a part that did not answer).
void collect_status(caf::actor_system& sys, std::shared_ptr<gateway_context> ctx,
                    std::function<void(std::array<std::string, 3>)> done) {
  auto targets = ctx->services.status_sources();
  sys.spawn([targets, done](caf::event_based_actor* self) {
    auto parts = std::make_shared<std::array<std::string, 3>>();
    auto pending = std::make_shared<int>(3);
    auto finish = [=] {
      if (--*pending == 0) done(*parts);
    };
    for (std::size_t i = 0; i < 3; ++i) {
      if (!targets[i]) {
        finish();
        continue;
      }
      self->request(targets[i], probe_timeout, atom::status_v, tenant_scope{true, {}})
        .then(
          [=](const std::string& s) {
            (*parts)[i] = s.empty() ? "[]" : s;
            finish();
          },
          [=](const caf::error&) { finish(); });
    }
  });
}

/// Counts the entries of a status array by their "state" member.
std::map<std::string, std::uint64_t> count_states(const std::string& doc, std::uint64_t* devices = nullptr,
                                                  std::uint64_t* reconnects = nullptr) {
  std::map<std::string, std::uint64_t> out;
  if (doc.empty()) return out;
  simdjson::dom::parser parser;
  simdjson::dom::array arr;
  if (parser.parse(doc).get(arr)) return out;
  for (auto e : arr) {
    std::string_view state;
    if (!e["state"].get(state)) out[std::string(state)]++;
    std::uint64_t n = 0;
    if (devices && !e["devices"].get(n)) *devices += n;
    if (reconnects && !e["reconnects"].get(n)) *reconnects += n;
  }
  return out;
}

} // namespace

void serve_public_health(caf::actor_system& sys, std::shared_ptr<gateway_context> ctx, net::http_responder respond) {
  collect_status(sys, ctx, [respond](std::array<std::string, 3> parts) {
    bool healthy = !parts[1].empty() && !parts[2].empty();
    respond(net::http_reply::json(healthy ? 200 : 503, healthy ? R"({"status":"ok"})" : R"({"status":"degraded"})"));
  });
}

void serve_health(caf::actor_system& sys, std::shared_ptr<gateway_context> ctx, net::http_responder respond) {
  collect_status(sys, ctx, [respond](std::array<std::string, 3> parts) {
    bool healthy = !parts[1].empty() && !parts[2].empty();
    json::json_writer w;
    w.begin_object().member("status", healthy ? "ok" : "degraded");
    w.member("registry", !parts[1].empty()).member("phoneSessions", !parts[2].empty());
    w.key("pbx").raw(parts[0].empty() ? "null" : parts[0]);
    w.key("devicesApi").raw(parts[1].empty() ? "null" : parts[1]);
    w.key("warnings").begin_array();
    for (auto& warning : shared_password_warnings(parts[0])) w.value(warning);
    w.end_array();
    w.end_object();
    respond(net::http_reply::json(healthy ? 200 : 503, w.take()));
  });
}

void serve_metrics(caf::actor_system& sys, std::shared_ptr<gateway_context> ctx, net::http_responder respond) {
  collect_status(sys, ctx, [ctx, respond](std::array<std::string, 3> parts) {
    std::ostringstream m;
    auto gauge = [&](const char* name, const char* help, const char* type) {
      m << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n";
    };
    auto& c = ctx->counters;
    gauge("mpk_pbx_links", "PBX links by state", "gauge");
    for (auto& [state, n] : count_states(parts[0])) m << "mpk_pbx_links{state=\"" << state << "\"} " << n << "\n";
    std::uint64_t devices = 0, reconnects = 0;
    auto links = count_states(parts[1], &devices, &reconnects);
    gauge("mpk_devices_api_links", "devices-api links by state", "gauge");
    for (auto& [state, n] : links) m << "mpk_devices_api_links{state=\"" << state << "\"} " << n << "\n";
    gauge("mpk_devices", "devices known to the registry", "gauge");
    m << "mpk_devices " << devices << "\n";
    gauge("mpk_devices_api_reconnects_total", "devices-api reconnects", "counter");
    m << "mpk_devices_api_reconnects_total " << reconnects << "\n";
    gauge("mpk_phone_sessions", "phone sessions by state", "gauge");
    for (auto& [state, n] : count_states(parts[2])) m << "mpk_phone_sessions{state=\"" << state << "\"} " << n << "\n";
    gauge("mpk_clients", "browsers connected", "gauge");
    m << "mpk_clients " << c.clients.load() << "\n";
    gauge("mpk_clients_total", "browser logins", "counter");
    m << "mpk_clients_total " << c.clients_total.load() << "\n";
    gauge("mpk_logins_failed_total", "refused logins", "counter");
    m << "mpk_logins_failed_total " << c.logins_failed.load() << "\n";
    gauge("mpk_delta_hubs", "device list fan-outs: one per (registry, filter) with subscribers", "gauge");
    m << "mpk_delta_hubs " << ctx->hubs.size() << "\n";
    gauge("mpk_events_fanned_out_total", "device list events sent to browsers", "counter");
    m << "mpk_events_fanned_out_total " << c.events_fanned_out.load() << "\n";
    gauge("mpk_lcd_frames_sent_total", "LCD frames sent to browsers", "counter");
    m << "mpk_lcd_frames_sent_total " << c.frames_sent.load() << "\n";
    gauge("mpk_client_queue_bytes_max", "largest send queue of one connection: a browser that does not keep up",
          "gauge");
    m << "mpk_client_queue_bytes_max " << ctx->connections.most_queued_bytes() << "\n";
    gauge("mpk_requests_total", "browser requests", "counter");
    m << "mpk_requests_total " << c.requests.load() << "\n";
    net::http_reply r;
    r.content_type = "text/plain; version=0.0.4";
    r.body = m.str();
    respond(std::move(r));
  });
}

} // namespace mpk::gateway
