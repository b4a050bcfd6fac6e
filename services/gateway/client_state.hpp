#pragma once
// Internal: the state of a client_session and the helpers its request handlers share.

#include "common/actors/atoms.hpp"
#include "common/base/log.hpp"
#include "common/json/envelope.hpp"
#include "services/gateway/app_errors.hpp"
#include "services/gateway/app_login.hpp"
#include "services/gateway/gateway_context.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include <chrono>

namespace mpk::gateway {

constexpr auto service_timeout = std::chrono::seconds(8);
constexpr auto phone_timeout = std::chrono::seconds(20);

/// Where an answer goes: the result's mt and the request's raw src/api, kept past the frame's lifetime.
struct reply_to {
  std::string mt, src, api;
  static reply_to of(const json::envelope& env, std::string_view result_mt);
  /// Opens {"mt":..,"api":..,"src":.. — the caller adds members and closes the object.
  void begin(json::json_writer& w) const;
};

struct client_state {
  std::shared_ptr<gateway_context> ctx;
  net::connection_ptr conn;
  login_identity id;
  std::vector<std::string> tenants; ///< scope: the PBX the user came through; empty for operators
  json::envelope_parser parser;
  std::string who;
  // device list subscription: the deltas reach the connection through the filter's hub (delta_hub.hpp)
  bool subscribed = false; ///< a QueryDevices with subscribe was sent to a hub
  std::string list_src;    ///< raw src of the subscribing QueryDevices
  device_query list_query; ///< the subscribed query, re-sent when the registry comes back
  delta_hub_actor hub;     ///< the hub of list_query's filter at the current registry
  // watched phone
  std::string watch_device, watch_src;
  // flood control: a token bucket of requests
  double tokens = 0;
  std::chrono::steady_clock::time_point refilled;
  static inline const char* name = "client_session";
};

using client_ptr = caf::stateful_actor<client_state>*;

/// The client session as the watcher of its phone: it handles phone_event, lcd_frame and
/// (retry, "phones") (client_session.cpp), so it is a phone_watcher_actor for the phone sessions.
inline phone_watcher_actor as_watcher(client_ptr self) { return caf::actor_cast<phone_watcher_actor>(self); }

void send_frame(client_ptr self, std::string frame);
void send_error(client_ptr self, const reply_to& to, std::string_view error, std::string_view text);
/// An error reply with the app protocol's code, plain words and, for SERVICE_UNAVAILABLE, retryAfterMs.
void send_app_error(client_ptr self, const reply_to& to, const app_error& e);
/// An error from a request to `service` (restarting, unknown device, ...) as a client error reply
/// (app_errors.hpp: by the error's code; the actor system's own words go to the log only).
void send_caf_error(client_ptr self, const reply_to& to, const caf::error& err, service_kind service);
/// SERVICE_UNAVAILABLE: `service` has no connected process right now.
void send_unavailable(client_ptr self, const reply_to& to, service_kind service);
bool is_operator(client_ptr self);
/// "operator", "appPassword", "myApps": how a session logged in (GetSession).
const char* login_kind_name(login_identity::kind k);
/// Operators, and the admins named in gateway.trace-admins: the troubleshooting requests.
bool may_trace(client_ptr self);

// -- request handlers (client_devices.cpp, client_phone.cpp, client_session.cpp) --------------
void get_domains(client_ptr self, const json::envelope& env);
void query_devices(client_ptr self, const json::envelope& env);
void unsubscribe(client_ptr self, const json::envelope& env);
/// The registry process is gone: the subscribed list gets DevicesUnavailable (same src) until the
/// registry is back and resubscribe() sends a fresh page.
void list_unavailable(client_ptr self);
/// Leaves the hub of the device list subscription (unsubscribe, a new query, disconnect).
void leave_hub(client_ptr self);

void watch(client_ptr self, const json::envelope& env);
void unwatch(client_ptr self, const json::envelope& env);
void frame_ack(client_ptr self, const json::envelope& env);
void phone_operation(client_ptr self, const json::envelope& env); ///< Key, Touch, TypeText, TypeKeys, Action, Command
void open_admin_ui(client_ptr self, const json::envelope& env);
void get_audit(client_ptr self, const json::envelope& env);
void wire_check(client_ptr self, const json::envelope& env);      ///< WireCheck (operators and trace admins)
void reload_wire(client_ptr self, const json::envelope& env);     ///< ReloadWire (operators)
void pin_certificate(client_ptr self, const json::envelope& env); ///< PinCertificate (operators, client_pin.cpp)
/// Leaves the watched phone; with `end_admin_ui_relays` (Unwatch, another phone watched) the
/// admin-UI relays this app session opened for it end too.
void stop_watching(client_ptr self, bool end_admin_ui_relays);
/// The websocket closed: the watch ends, the admin-UI relays end after their grace unless the
/// same user watches the same phone again meanwhile (a reconnect).
void app_session_closed(client_ptr self);
/// The registry process came back: subscribe the kept query again; the browser gets a fresh
/// QueryDevicesResult (same src, "resubscribed": true) and deltas continue from there.
void resubscribe(client_ptr self);
/// The phone session serving the watched phone is new (node restarted or phone moved): watch again.
void rewatch(client_ptr self);

/// Writes a device as the app sees it (never the passthrough URI or key).
void write_device(json::json_writer& w, const device_record& d, const models::catalog* catalog);
/// The QueryDevicesResult frame of `page` (with "resumed" for a resume request, "resubscribed"
/// for the fresh page after a registry restart).
std::string page_frame(const reply_to& to, const device_page& page, const models::catalog* catalog, bool show_resumed,
                       bool resubscribed);

} // namespace mpk::gateway
