#include "common/models/registrations.hpp"

#include "common/models/wire_template.hpp"
#include "common/models/xml_attr.hpp"

namespace mpk::models {

namespace {

constexpr std::size_t max_regs = 64;
constexpr int max_reg_id = 999;

} // namespace

registrations_format registrations_format::from(const wire_format& f) {
  registrations_format out;
  for (const auto& [k, v] : f) {
    if (k == "root")
      out.root = v;
    else if (k == "item")
      out.item = v;
    else if (k == "id")
      out.id = v;
    else if (k == "idBase")
      out.id_base = v == "1" ? 1 : 0;
    else if (k == "state")
      out.state = v;
    else if (k == "up")
      out.up = split_list(v);
    else if (k == "enable")
      out.enable = v;
    else if (k == "off")
      out.off = split_list(v);
    else if (k == "protocol")
      out.protocol = v;
    else if (k == "number")
      out.number = v;
    else if (k == "name")
      out.name = v;
    else if (k == "gatekeeper")
      out.gatekeeper = v;
    else if (k == "error")
      out.error = v;
  }
  return out;
}

reg_color classify(const registration& r) {
  if (!r.configured) return reg_color::not_configured;
  if (r.enable == "off") return reg_color::disabled;
  if (r.state == "up") return reg_color::registered;
  return reg_color::failed;
}

std::string_view to_string(reg_color c) {
  switch (c) {
    case reg_color::registered: return "registered";
    case reg_color::not_configured: return "not-configured";
    case reg_color::disabled: return "disabled";
    case reg_color::failed: return "failed";
  }
  return "failed";
}

std::string format_registrations_xml(const std::vector<registration>& regs, const registrations_format& f) {
  const std::string root = f.root.empty() ? std::string("regs") : f.root;
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<" + root + ">\n";
  auto attr = [&](const std::string& name, const std::string& value) {
    if (!name.empty()) out += " " + name + "=\"" + xml_escape(value) + "\"";
  };
  for (const auto& r : regs) {
    out += "  <" + f.item;
    attr(f.id, std::to_string(r.id + f.id_base));
    attr(f.state, r.state == "up" && !f.up.empty() ? f.up.front() : r.state);
    attr(f.enable, r.enable == "off" && !f.off.empty() ? f.off.front() : r.enable);
    attr(f.protocol, r.protocol);
    attr(f.number, r.number);
    attr(f.name, r.name);
    attr(f.gatekeeper, r.gatekeeper);
    attr(f.error, r.error);
    out += "/>\n";
  }
  out += "</" + root + ">\n";
  return out;
}

std::optional<std::vector<registration>> parse_registrations_xml(std::string_view xml, std::string& err) {
  return parse_registrations_xml(xml, registrations_format{}, err);
}

std::optional<std::vector<registration>> parse_registrations_xml(std::string_view xml, const registrations_format& f,
                                                                 std::string& err) {
  std::vector<registration> out;
  auto each = [&](const xml_tag& tag) -> std::string {
    auto* id = f.id.empty() ? nullptr : tag.attr(f.id);
    if (!id) return "<" + f.item + "> without " + (f.id.empty() ? std::string("id") : f.id);
    auto idv = id->size() <= 3 ? parse_decimal(*id, f.id_base, max_reg_id) : std::nullopt;
    if (!idv) return "bad id \"" + *id + "\"";
    for (const auto& o : out)
      if (o.id == *idv - f.id_base) return "duplicate id " + *id;
    registration reg;
    reg.id = *idv - f.id_base;
    reg.state = attr_or_empty(tag, f.state);
    if (listed(f.up, reg.state)) reg.state = "up";
    reg.enable = attr_or_empty(tag, f.enable);
    reg.enable = listed(f.off, reg.enable) ? "off" : reg.enable.empty() ? std::string() : std::string("on");
    reg.protocol = attr_or_empty(tag, f.protocol);
    reg.number = attr_or_empty(tag, f.number);
    reg.name = attr_or_empty(tag, f.name);
    reg.gatekeeper = attr_or_empty(tag, f.gatekeeper);
    reg.error = attr_or_empty(tag, f.error);
    reg.configured = !reg.protocol.empty() && !reg.gatekeeper.empty();
    out.push_back(std::move(reg));
    return "";
  };
  if (!read_flat_list(xml, f.root, f.item, max_regs, "registrations", each, err)) {
    err = "registrations: " + err;
    return std::nullopt;
  }
  return out;
}

} // namespace mpk::models
