#include "services/gateway/link_directory.hpp"

#include "common/actors/atoms.hpp"
#include "common/base/log.hpp"
#include "common/json/writer.hpp"
#include "services/gateway/app_object_binding.hpp"

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <algorithm>
#include <chrono>
#include <map>

namespace mpk::gateway {

namespace {

struct pbx_entry {
  pbx_info info;
  pbx_link_actor link;
  bool up = false;
  std::int64_t since = 0; ///< unix seconds of the last state change
  std::uint32_t logins = 0;
};

struct link_directory_state {
  std::map<std::string, pbx_entry> pbx; ///< by tenant
  std::size_t shared_warned = 0;        ///< tenants on the shared password when that was last logged
  static inline const char* name = "link_directory";
};

std::int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string status_json(const link_directory_state& st, const tenant_scope& scope) {
  json::json_writer w;
  w.begin_array();
  for (auto& [tenant, e] : st.pbx) {
    if (!scope.covers(tenant)) continue;
    std::size_t devices_api = 0;
    for (auto& s : e.info.services) devices_api += s.devices_api ? 1 : 0;
    w.begin_object()
      .member("tenant", tenant)
      .member("pbx", e.info.pbx)
      .member("version", e.info.version)
      .member("state", e.up ? "up" : "down")
      .member("since", e.since)
      .member("logins", e.logins)
      .member("services", static_cast<std::uint64_t>(e.info.services.size()))
      .member("devicesApi", static_cast<std::uint64_t>(devices_api))
      .member("testMode", e.info.test_mode);
    // Service licences of the App object as the PBX reports them (null: the PBX did not say).
    if (e.info.lics >= 0)
      w.member("lics", e.info.lics);
    else
      w.key("lics").null();
    w.member("sharedPassword", e.info.shared_password);
    w.end_object();
  }
  w.end_array();
  return w.take();
}

/// One warning per new tenant that joins others on the shared password (docs/security.md).
void warn_shared_password(link_directory_state& st) {
  std::size_t shared = 0;
  for (auto& [tenant, e] : st.pbx) shared += e.up && e.info.shared_password ? 1 : 0;
  if (shared >= 2 && shared > st.shared_warned) {
    MPK_WARN("connections", shared,
             " tenants log in with the one shared App object password (gateway.password): "
             "give each its own tenant.<domain>.password (docs/security.md)");
  }
  st.shared_warned = std::max(st.shared_warned, shared);
}

/// "Log Service Connections": one line per PBX link in `scope`.
void log_links(const link_directory_state& st, const tenant_scope& scope) {
  std::size_t shown = 0;
  for (auto& [tenant, e] : st.pbx) {
    if (!scope.covers(tenant)) continue;
    ++shown;
    MPK_INFO("connections", "PBX link ", tenant, " (", e.info.pbx, ") ", e.up ? "up" : "down", " since ", e.since,
             ", logins ", e.logins, ", services ", e.info.services.size(), ", lics ",
             e.info.lics >= 0 ? std::to_string(e.info.lics) : std::string("not sent"),
             e.info.test_mode ? ", licence test mode" : "");
  }
  if (shown == 0) MPK_INFO("connections", "no PBX has connected yet");
}

link_directory_actor::behavior_type link_directory(link_directory_actor::stateful_pointer<link_directory_state> self) {
  return {
    [=](atom::pbx_up, const pbx_info& info, const pbx_link_actor& link) {
      auto& e = self->state.pbx[info.tenant];
      if (e.link != link) {
        e.logins++;
        e.since = now_s();
      }
      e.info = info;
      e.link = link;
      e.up = true;
      warn_shared_password(self->state);
    },
    [=](atom::pbx_down, const std::string& tenant, const pbx_link_actor& link) {
      auto it = self->state.pbx.find(tenant);
      if (it == self->state.pbx.end() || it->second.link != link) return; // a newer link already took over
      it->second.up = false;
      it->second.since = now_s();
      it->second.link = nullptr;
    },
    [=](atom::status) {
      return status_json(self->state, tenant_scope{true, {}});
    },
    [=](atom::status, const tenant_scope& scope) { return status_json(self->state, scope); },
    // A password login at /<domain>/… is scoped to a tenant that exists: a PBX of that system
    // name has linked (the name as that PBX spells it, so the scope matches its devices).
    [=](atom::tenant_of, const std::string& domain) -> std::string {
      for (auto& [tenant, e] : self->state.pbx)
        if (same_domain_name(tenant, domain)) return tenant;
      return {};
    },
    [=](atom::log_status) {
      log_links(self->state, tenant_scope{true, {}});
    },
    [=](atom::log_status, const tenant_scope& scope) { log_links(self->state, scope); },
  };
}

} // namespace

link_directory_actor spawn_link_directory(caf::actor_system& sys) { return sys.spawn(link_directory); }

} // namespace mpk::gateway
