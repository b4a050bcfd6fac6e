#pragma once
/// Device facts as the `info` wire path reports them (format [inf], docs/models.md):
///   <info product="IP222" version="13r2 ..." hwId="009033020202" name="Alice" ip="10.0.0.12" number="101"/>

#include "common/models/model.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace mpk::models {

struct device_info {
  std::string product, version, hw_id, name, ip, number;
};

/// How an info answer names its parts: the `format` of an info candidate over these defaults
/// (the [inf] form above). An empty attribute name means the answer does not carry that field.
struct info_format {
  std::string element = "info"; ///< the one element ("" = any name)
  std::string product = "product", version = "version", hw_id = "hwId", name = "name", ip = "ip", number = "number";
  static info_format from(const wire_format& f);
};

std::string format_info_xml(const device_info& d, const info_format& f = {});

/// Strict, bounded; missing attributes become empty strings, `product` is required.
std::optional<device_info> parse_info_xml(std::string_view xml, std::string& err);
std::optional<device_info> parse_info_xml(std::string_view xml, const info_format& f, std::string& err);

} // namespace mpk::models
