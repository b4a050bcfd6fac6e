#include "services/phone-session/src/phone_config.hpp"

#include "common/base/config.hpp"
#include "common/models/wire_book.hpp"
#include "common/net/tls_config.hpp"
#include "services/phone-session/src/wire_memory.hpp"

#include <algorithm>

namespace mpk {

void add_phone_options(config::settings& s) {
  net::add_tls_client_options(s, "devices-api, passthrough");
  s.add("phone.min-interval-ms", "250", "fastest LCD poll of a watched phone")
    .add("phone.idle-interval-ms", "1000", "slowest LCD poll of a watched phone whose screen stays unchanged (>= min)")
    .add("phone.request-timeout-ms", "5000", "timeout of one passthrough request to a phone")
    .add("phone.function-keys-interval-ms", "1000", "how often a watched phone's function-key labels and LEDs are read")
    .add("phone.grace-ms", "10000", "a phone session lives on this long after its last watcher left")
    .add("phone.ack-timeout-ms", "10000",
         "an LCD frame unacknowledged this long counts as lost: a full frame again (0 = never)")
    .add("phone.audit-path", "myphonekeys-audit.jsonl", "audit log of keys, actions and commands (JSON lines)")
    .add("phone.audit-max-bytes", "16777216",
         "the audit log moves to <path>.1 when an entry would take it past this (0 = never)")
    .add("phone.audit-keep", "3", "rotated audit logs kept (<path>.1 ... <path>.N)")
    .add("phone.key-labels-path", "myphonekeys-key-labels.json",
         "function-key labels set in the app, per phone (JSON; \"\" = kept in memory only)")
    .add("phone.wire-file", "",
         "JSON wire file merged over the built-in wire forms, per family and model "
         "(docs/wire-calibration.md); read again on SIGHUP and on an operator's request");
}

void apply_phone_options(const config::settings& s, phone_options& o) {
  o.tls = net::tls_client_options_from(s);
  o.min_interval = std::chrono::milliseconds(s.get_int("phone.min-interval-ms"));
  o.idle_interval = std::max(o.min_interval, std::chrono::milliseconds(s.get_int("phone.idle-interval-ms")));
  o.request_timeout = std::chrono::milliseconds(s.get_int("phone.request-timeout-ms"));
  o.function_keys_interval =
    std::chrono::milliseconds(std::max<std::int64_t>(100, s.get_int("phone.function-keys-interval-ms")));
  o.grace = std::chrono::milliseconds(s.get_int("phone.grace-ms"));
  o.ack_timeout = std::chrono::milliseconds(std::max<std::int64_t>(0, s.get_int("phone.ack-timeout-ms")));
  o.audit_path = s.get("phone.audit-path");
  o.audit_max_bytes = static_cast<std::uint64_t>(std::max<std::int64_t>(0, s.get_int("phone.audit-max-bytes")));
  o.audit_keep = static_cast<unsigned>(std::clamp<std::int64_t>(s.get_int("phone.audit-keep"), 1, 100));
  o.key_labels_path = s.get("phone.key-labels-path");
}

std::shared_ptr<session::wire_memory> wire_memory_from(const config::settings& s, const models::catalog& c,
                                                       std::string& error) {
  auto file = s.get("phone.wire-file");
  std::optional<models::wire_book> book;
  if (file.empty())
    book = models::wire_book::built_in(c);
  else
    book = models::wire_book::load(c, file, error);
  if (!book) return nullptr;
  return std::make_shared<session::wire_memory>(std::make_shared<const models::wire_book>(std::move(*book)), file);
}

} // namespace mpk
