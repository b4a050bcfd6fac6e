#pragma once
/// Device and domain objects of the Devices service API (docs/spec/devices-api.md §2.3) into registry
/// records, and where the passthrough base of an instance is. Every field but `id` is optional;
/// nothing here throws or reads past its input.

#include "common/actors/messages.hpp"

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>

namespace mpk::registry {

/// A device object. Sets id ("<link>:<id>"), link, device_id, hw_id, name, product, version, type,
/// ip (ethIfs ETH0 ipv4, else the first ipv4), domain_id ("<link>:<domainId>", "" when absent)
/// and online. `uri` (if given) receives the device's passthrough uri ("" when absent).
/// nullopt when the object has no integer `id`.
std::optional<device_record> parse_device(simdjson::dom::element el, const std::string& link,
                                          std::string* uri = nullptr);

/// A domain object: id ("<link>:<id>"), link, name. nullopt without an integer `id`.
std::optional<domain_summary> parse_domain(simdjson::dom::element el, const std::string& link);

/// The base of a device `uri` of the form "<base><hwId>/<key>/" ("" when it has another form).
std::string passthrough_base_from_uri(std::string_view uri, std::string_view hw_id, std::string_view key);

/// The passthrough base derived from the service websocket URL: ws→http, wss→https, the
/// App path (…/innovaphone-devices-api) and query dropped, then "/passthrough/".
std::string passthrough_base_from_url(std::string_view service_url);

} // namespace mpk::registry
