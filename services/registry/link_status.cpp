#include "services/registry/link_status.hpp"

#include "common/base/redact.hpp"
#include "common/json/writer.hpp"

#include <chrono>
#include <ctime>

namespace mpk::registry {

std::string status_json(const std::vector<link_status>& links) {
  json::json_writer w;
  w.begin_array();
  for (const auto& s : links) {
    w.begin_object()
      .member("id", s.id)
      .member("tenant", s.tenant)
      .member("name", s.name)
      .member("url", log::url_for_display(s.url))
      .member("state", to_string(s.state))
      .member("since", s.since)
      .member("devices", s.devices)
      .member("domains", s.domains)
      .member("reconnects", s.reconnects)
      .member("lastError", log::without_secrets(s.last_error))
      .member("admin", s.admin)
      .member("refusedCert", s.refused_cert)
      .member("pinned", s.pinned)
      .end_object();
  }
  w.end_array();
  return w.take();
}

std::string status_line(const link_status& s) {
  std::string out = s.id + ": " + to_string(s.state) + " since " + s.since + ", " + std::to_string(s.devices) +
                    " devices in " + std::to_string(s.domains) + " domains, " + std::to_string(s.reconnects) +
                    " reconnects, " + (s.admin ? "admin" : "domain") + " login, url " + log::url_for_display(s.url);
  if (!s.last_error.empty()) out += ", last error: " + log::without_secrets(s.last_error);
  return out;
}

std::string utc_now() {
  auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

} // namespace mpk::registry
