#pragma once
/// Device facts as the `info` wire path reports them (format [inf], docs/models.md):
///   <info product="IP222" version="13r2 ..." hwId="009033020202" name="Alice" ip="10.0.0.12" number="101"/>

#include <optional>
#include <string>
#include <string_view>

namespace mpk::models {

struct device_info {
  std::string product, version, hw_id, name, ip, number;
};

std::string format_info_xml(const device_info& d);

/// Strict, bounded; missing attributes become empty strings, `product` is required.
std::optional<device_info> parse_info_xml(std::string_view xml, std::string& err);

} // namespace mpk::models
