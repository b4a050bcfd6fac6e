#include "common/models/device_info.hpp"

#include "common/models/xml_attr.hpp"

namespace mpk::models {

std::string format_info_xml(const device_info& d) {
  return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<info product=\"" + xml_escape(d.product) +
         "\" version=\"" + xml_escape(d.version) + "\" hwId=\"" + xml_escape(d.hw_id) +
         "\" name=\"" + xml_escape(d.name) + "\" ip=\"" + xml_escape(d.ip) + "\" number=\"" +
         xml_escape(d.number) + "\"/>\n";
}

std::optional<device_info> parse_info_xml(std::string_view xml, std::string& err) {
  xml_tag_reader rd(xml);
  xml_tag tag;
  std::string e;
  auto r = rd.next(tag, e);
  if (r != xml_tag_reader::result::tag) {
    err = "info: " + (r == xml_tag_reader::result::error ? e : std::string("empty document"));
    return std::nullopt;
  }
  if (tag.name != "info" || tag.kind != xml_tag::type::empty) {
    err = "info: expected <info .../>";
    return std::nullopt;
  }
  xml_tag extra;
  r = rd.next(extra, e);
  if (r != xml_tag_reader::result::done) {
    err = "info: " + (r == xml_tag_reader::result::error ? e : std::string("content after <info/>"));
    return std::nullopt;
  }
  auto get = [&](std::string_view n) {
    auto* v = tag.attr(n);
    return v ? *v : std::string{};
  };
  device_info d{get("product"), get("version"), get("hwId"), get("name"), get("ip"), get("number")};
  if (d.product.empty()) {
    err = "info: product missing";
    return std::nullopt;
  }
  return d;
}

} // namespace mpk::models
