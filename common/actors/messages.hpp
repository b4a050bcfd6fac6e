#pragma once
// Every message type that crosses an actor boundary (and, in the split deployment, a process
// boundary over BASP). Each has an inspect() so CAF can serialize it; all are registered in the
// one type-ID block of atoms.hpp, which every binary links.

#include <algorithm>
#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace mpk {

// -- registry model -------------------------------------------------------------

/// One device as the registry knows it. `id` = "<link>:<device id>" is unique across all links.
struct device_record {
  std::string id, link, tenant;
  std::int64_t device_id = 0;
  std::string hw_id, name, product, version, type, ip;
  std::string domain_id, domain_name; ///< domain_id = "<link>:<domain id>"
  bool online = false;
  bool stale = false; ///< its devices-api link is down: last known state
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, device_record& x) {
  return f(caf::meta::type_name("device_record"), x.id, x.link, x.tenant, x.device_id, x.hw_id, x.name, x.product,
           x.version, x.type, x.ip, x.domain_id, x.domain_name, x.online, x.stale);
}

struct domain_summary {
  std::string id, link, tenant, name;
  std::uint32_t total = 0, online = 0;
  bool stale = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, domain_summary& x) {
  return f(caf::meta::type_name("domain_summary"), x.id, x.link, x.tenant, x.name, x.total, x.online, x.stale);
}

/// Whose part of a status a request may see: every tenant (operators, the service's own health)
/// or the listed tenants only (a PBX's users and administrators).
struct tenant_scope {
  bool all = false;
  std::vector<std::string> tenants;
  bool covers(const std::string& tenant) const {
    return all || std::find(tenants.begin(), tenants.end(), tenant) != tenants.end();
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, tenant_scope& x) {
  return f(caf::meta::type_name("tenant_scope"), x.all, x.tenants);
}

/// A page request. `tenants` empty = every tenant (operators); otherwise only devices of those tenants.
struct device_query {
  std::vector<std::string> tenants;
  std::string domain;      ///< domain id, "" = all
  std::int8_t online = -1; ///< -1 any, 0 offline only, 1 online only
  std::string search;      ///< case-insensitive substring of name, product, ip, hwId, version
  std::uint32_t offset = 0, limit = 50;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, device_query& x) {
  return f(caf::meta::type_name("device_query"), x.tenants, x.domain, x.online, x.search, x.offset, x.limit);
}

struct device_page {
  std::uint64_t total = 0;
  std::uint32_t offset = 0;
  std::vector<device_record> devices;
  std::uint64_t seq = 0; ///< registry sequence number the page reflects
  bool resumed = false;  ///< a resume request could be served from the event log
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, device_page& x) {
  return f(caf::meta::type_name("device_page"), x.total, x.offset, x.devices, x.seq, x.resumed);
}

/// What changed in the model, in one step. Subscribers filter by their query.
struct device_delta {
  std::uint64_t seq = 0;
  std::vector<device_record> added, changed;
  std::vector<device_record> removed; ///< last known record (the filter needs its tenant/domain)
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, device_delta& x) {
  return f(caf::meta::type_name("device_delta"), x.seq, x.added, x.changed, x.removed);
}

// -- PBX links and devices-api links -----------------------------------------------

/// A devices-api (or other) service the PBX grants through its Services API.
struct granted_service {
  std::string name, title, url;
  bool devices_api = false; ///< info has com.innovaphone.devices
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, granted_service& x) {
  return f(caf::meta::type_name("granted_service"), x.name, x.title, x.url, x.devices_api);
}

/// What a PBX link knows after PbxInfo and ServicesInfo. tenant = the PBX system name.
struct pbx_info {
  std::string tenant, pbx, pbx_dns, version;
  bool test_mode = false;
  std::int64_t lics = -1;       ///< info.lics of the link's login: Service licences of the App object (-1: not sent)
  bool shared_password = false; ///< logged in with the shared gateway.password, not its own tenant password
  std::vector<granted_service> services;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, pbx_info& x) {
  return f(caf::meta::type_name("pbx_info"), x.tenant, x.pbx, x.pbx_dns, x.version, x.test_mode, x.lics,
           x.shared_password, x.services);
}

/// GetServiceLoginResult of the PBX, with the session key already unwrapped by the PBX link.
struct service_login {
  std::string error;
  std::string app, domain, sip, guid, dn, pbx_obj, info, digest;
  std::string session_key;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, service_login& x) {
  return f(caf::meta::type_name("service_login"), x.error, x.app, x.domain, x.sip, x.guid, x.dn, x.pbx_obj, x.info,
           x.digest, x.session_key);
}

/// Where a devices-api link is; its name in status JSON and logs is to_string's.
enum class link_state : std::uint8_t {
  connecting,
  waiting_pbx,
  logging_in,
  loading,
  up,
  down,
  login_failed,
  untrusted
};

inline const char* to_string(link_state s) {
  switch (s) {
    case link_state::connecting: return "connecting";
    case link_state::waiting_pbx: return "waiting-pbx";
    case link_state::logging_in: return "logging-in";
    case link_state::loading: return "loading";
    case link_state::up: return "up";
    case link_state::down: return "down";
    case link_state::login_failed: return "login-failed";
    case link_state::untrusted: return "untrusted";
  }
  return "unknown";
}

/// What a link_update carries: its state only, the whole list (replace everything of this
/// link), or the changes since the last one.
enum class link_update_kind : std::uint8_t { state, snapshot, delta };

/// INTERNAL (registry service): what one devices_link reports to the registry actor.
struct link_update {
  std::string link; ///< devices_link id, e.g. "tenant1.example.com/devices-api"
  std::string tenant;
  link_update_kind kind = link_update_kind::state;
  link_state state = link_state::connecting;
  std::string detail;           ///< last error or reason, plain words
  std::string url;              ///< websocket URL of the Devices instance
  std::string passthrough_base; ///< "<http(s)://host[:port]>/<domain>/<instance>/passthrough/" (no key)
  std::string key;              ///< passthrough session key of the current login (secret: never leaves the back end)
  bool admin = false;
  std::vector<domain_summary> domains; ///< snapshot, or domains added/changed
  std::vector<device_record> devices;  ///< delta: devices added/changed
  /// Snapshot: every device, in the chunks the devices-api sent them in; the registry takes them
  /// into its model chunk by chunk, never as one concatenated vector.
  std::vector<std::vector<device_record>> device_chunks;
  std::vector<std::string> removed_domains; ///< ids
  std::vector<std::string> removed_devices; ///< ids
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, link_update& x) {
  return f(caf::meta::type_name("link_update"), x.link, x.tenant, x.kind, x.state, x.detail, x.url, x.passthrough_base,
           x.key, x.admin, x.domains, x.devices, x.device_chunks, x.removed_domains, x.removed_devices);
}

// -- phones ---------------------------------------------------------------------------

/// How to reach one phone: the passthrough base URL carries the devices-api session key, so it
/// never leaves the back end.
struct phone_target {
  std::string device, tenant, hw_id, product, version, type, name, ip, domain_name;
  std::string base_url; ///< ".../passthrough/<hwId>/<key>/" ("" while the link is down)
  std::string tls_pin;  ///< the operator's pin of the Devices instance's certificate (hex), "" = CA check
  bool online = false;
  bool link_up = false;
  /// The device's devices-api link has its list and the device is not in it: the Devices App no
  /// longer lists it. False while that link (or the registry itself) is still loading: unknown then.
  bool gone = false;
  std::uint64_t epoch = 0; ///< changes whenever base_url or online changes
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, phone_target& x) {
  return f(caf::meta::type_name("phone_target"), x.device, x.tenant, x.hw_id, x.product, x.version, x.type, x.name,
           x.ip, x.domain_name, x.base_url, x.tls_pin, x.online, x.link_up, x.gone, x.epoch);
}

/// Who acts on a phone (for the audit log).
struct actor_identity {
  std::string tenant, pbx, sip, dn;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, actor_identity& x) {
  return f(caf::meta::type_name("actor_identity"), x.tenant, x.pbx, x.sip, x.dn);
}

/// What a phone_command does: the app protocol's Key, Touch, TypeText and TypeKeys (text),
/// Action, Command, and SetKeyLabels (labels: kept by the session, never sent to the phone).
enum class command_kind : std::uint8_t { key, touch, text, action, command, labels };

/// The kind's name in audit entries and logs.
inline const char* to_string(command_kind k) {
  switch (k) {
    case command_kind::key: return "key";
    case command_kind::touch: return "touch";
    case command_kind::text: return "text";
    case command_kind::action: return "action";
    case command_kind::command: return "command";
    case command_kind::labels: return "labels";
  }
  return "unknown";
}

/// One operation on a phone: key, touch, text, action, command, key labels.
struct phone_command {
  std::string device;
  command_kind kind = command_kind::key;
  std::string name; ///< key id, action name, text, command line
  std::string arg;
  std::int32_t x = 0, y = 0, hold_ms = 0;
  actor_identity who;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, phone_command& x) {
  return f(caf::meta::type_name("phone_command"), x.device, x.kind, x.name, x.arg, x.x, x.y, x.hold_ms, x.who);
}

struct command_result {
  bool ok = false;
  std::int32_t status = 0;
  std::string error; ///< code: BAD_KEY, OFFLINE, UNSUPPORTED, TIMEOUT, PHONE_ERROR, ...
  std::string text;  ///< plain words / phone output
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, command_result& x) {
  return f(caf::meta::type_name("command_result"), x.ok, x.status, x.error, x.text);
}

/// A state notification of a watched phone (JSON body prepared by the phone session).
struct phone_event {
  std::string device;
  std::string mt;   ///< "PhoneState" or "Registrations"
  std::string json; ///< the members after mt, e.g. "\"state\":\"online\""
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, phone_event& x) {
  return f(caf::meta::type_name("phone_event"), x.device, x.mt, x.json);
}

/// One LCD frame, already in the binary wire form of docs/app-protocol.md §4.
struct lcd_frame {
  std::string device;
  std::uint32_t seq = 0;
  std::string bytes;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, lcd_frame& x) {
  return f(caf::meta::type_name("lcd_frame"), x.device, x.seq, x.bytes);
}

/// An HTTP exchange relayed to a phone (admin UI shortcut).
struct relayed_http {
  std::int32_t status = 0;
  std::string content_type, body, error;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, relayed_http& x) {
  return f(caf::meta::type_name("relayed_http"), x.status, x.content_type, x.body, x.error);
}

/// One entry for the audit log written by another service than the phone sessions (the
/// gateway's admin-UI relay): who did what on which phone, and how it ended.
struct audit_note {
  actor_identity who;
  std::string device, hw_id;
  std::string kind; ///< e.g. "admin-ui"
  std::string what; ///< e.g. "open", "POST /ADMIN/settings"
  bool ok = false;
  std::string result; ///< e.g. "HTTP 303"
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, audit_note& x) {
  return f(caf::meta::type_name("audit_note"), x.who, x.device, x.hw_id, x.kind, x.what, x.ok, x.result);
}

} // namespace mpk
