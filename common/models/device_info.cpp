#include "common/models/device_info.hpp"

#include "common/models/xml_attr.hpp"

namespace mpk::models {

info_format info_format::from(const wire_format& f) {
  info_format out;
  for (const auto& [k, v] : f) {
    if (k == "element")
      out.element = v;
    else if (k == "product")
      out.product = v;
    else if (k == "version")
      out.version = v;
    else if (k == "hwId")
      out.hw_id = v;
    else if (k == "name")
      out.name = v;
    else if (k == "ip")
      out.ip = v;
    else if (k == "number")
      out.number = v;
  }
  return out;
}

std::string format_info_xml(const device_info& d, const info_format& f) {
  std::string out =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<" + (f.element.empty() ? std::string("info") : f.element);
  auto attr = [&](const std::string& name, const std::string& value) {
    if (!name.empty()) out += " " + name + "=\"" + xml_escape(value) + "\"";
  };
  attr(f.product, d.product);
  attr(f.version, d.version);
  attr(f.hw_id, d.hw_id);
  attr(f.name, d.name);
  attr(f.ip, d.ip);
  attr(f.number, d.number);
  return out + "/>\n";
}

std::optional<device_info> parse_info_xml(std::string_view xml, std::string& err) {
  return parse_info_xml(xml, info_format{}, err);
}

std::optional<device_info> parse_info_xml(std::string_view xml, const info_format& f, std::string& err) {
  xml_tag_reader rd(xml);
  xml_tag tag;
  std::string e;
  auto r = rd.next(tag, e);
  if (r != xml_tag_reader::result::tag) {
    err = "info: " + (r == xml_tag_reader::result::error ? e : std::string("empty document"));
    return std::nullopt;
  }
  if ((!f.element.empty() && tag.name != f.element) || tag.kind != xml_tag::type::empty) {
    err = "info: expected <" + (f.element.empty() ? std::string("…") : f.element) + " .../>";
    return std::nullopt;
  }
  xml_tag extra;
  r = rd.next(extra, e);
  if (r != xml_tag_reader::result::done) {
    err = "info: " + (r == xml_tag_reader::result::error ? e : std::string("content after <" + tag.name + "/>"));
    return std::nullopt;
  }
  auto get = [&](const std::string& n) {
    if (n.empty()) return std::string{};
    auto* v = tag.attr(n);
    return v ? *v : std::string{};
  };
  device_info d{get(f.product), get(f.version), get(f.hw_id), get(f.name), get(f.ip), get(f.number)};
  if (d.product.empty()) {
    err = "info: product missing";
    return std::nullopt;
  }
  return d;
}

} // namespace mpk::models
