#include "common/models/registrations.hpp"

#include "common/models/wire_template.hpp"
#include "common/models/xml_attr.hpp"

#include <algorithm>

namespace mpk::models {

namespace {

constexpr std::size_t max_regs = 64;
constexpr int max_reg_id = 999;

std::string get(const xml_tag& t, const std::string& name) {
  if (name.empty())
    return {};
  auto* v = t.attr(name);
  return v ? *v : std::string{};
}

std::vector<std::string> comma_list(const std::string& s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i <= s.size()) {
    auto j = s.find(',', i);
    if (j == std::string::npos)
      j = s.size();
    auto item = s.substr(i, j - i);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty())
      out.push_back(item);
    i = j + 1;
  }
  return out;
}

bool one_of(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

} // namespace

registrations_format registrations_format::from(const wire_format& f) {
  registrations_format out;
  for (const auto& [k, v] : f) {
    if (k == "root") out.root = v;
    else if (k == "item") out.item = v;
    else if (k == "id") out.id = v;
    else if (k == "idBase") out.id_base = v == "1" ? 1 : 0;
    else if (k == "state") out.state = v;
    else if (k == "up") out.up = comma_list(v);
    else if (k == "enable") out.enable = v;
    else if (k == "off") out.off = comma_list(v);
    else if (k == "protocol") out.protocol = v;
    else if (k == "number") out.number = v;
    else if (k == "name") out.name = v;
    else if (k == "gatekeeper") out.gatekeeper = v;
    else if (k == "error") out.error = v;
  }
  return out;
}

reg_color classify(const registration& r) {
  if (!r.configured)
    return reg_color::not_configured;
  if (r.enable == "off")
    return reg_color::disabled;
  if (r.state == "up")
    return reg_color::registered;
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
    if (!name.empty())
      out += " " + name + "=\"" + xml_escape(value) + "\"";
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

std::optional<std::vector<registration>> parse_registrations_xml(std::string_view xml,
                                                                 const registrations_format& f,
                                                                 std::string& err) {
  xml_tag_reader rd(xml);
  xml_tag tag;
  std::vector<registration> out;
  auto fail = [&](std::string msg) -> std::optional<std::vector<registration>> {
    err = "registrations: " + std::move(msg);
    return std::nullopt;
  };

  std::string e;
  auto r = rd.next(tag, e);
  if (r == xml_tag_reader::result::error)
    return fail(e);
  if (r == xml_tag_reader::result::done)
    return fail("empty document");
  if ((!f.root.empty() && tag.name != f.root) || tag.kind == xml_tag::type::end)
    return fail("expected <" + (f.root.empty() ? std::string("…") : f.root) + ">, got <" + tag.name + ">");
  const std::string root = tag.name;
  bool closed = tag.kind == xml_tag::type::empty;

  while (!closed) {
    r = rd.next(tag, e);
    if (r == xml_tag_reader::result::error)
      return fail(e);
    if (r == xml_tag_reader::result::done)
      return fail("missing </" + root + ">");
    if (tag.kind == xml_tag::type::end) {
      if (tag.name != root)
        return fail("unexpected </" + tag.name + ">");
      closed = true;
      break;
    }
    if (tag.name != f.item)
      return fail("unexpected <" + tag.name + "> inside <" + root + ">");
    if (tag.kind == xml_tag::type::start) {
      // Allow <reg ...></reg> as well as <reg .../>.
      xml_tag end;
      r = rd.next(end, e);
      if (r == xml_tag_reader::result::error)
        return fail(e);
      if (r != xml_tag_reader::result::tag || end.kind != xml_tag::type::end || end.name != f.item)
        return fail("<" + f.item + "> must be empty");
    }
    if (out.size() >= max_regs)
      return fail("more than " + std::to_string(max_regs) + " registrations");
    auto* id = f.id.empty() ? nullptr : tag.attr(f.id);
    if (!id)
      return fail("<" + f.item + "> without " + (f.id.empty() ? std::string("id") : f.id));
    auto idv = id->size() <= 3 ? parse_decimal(*id, f.id_base, max_reg_id) : std::nullopt;
    if (!idv)
      return fail("bad id \"" + *id + "\"");
    for (const auto& o : out)
      if (o.id == *idv - f.id_base)
        return fail("duplicate id " + *id);
    registration reg;
    reg.id = *idv - f.id_base;
    reg.state = get(tag, f.state);
    if (one_of(f.up, reg.state))
      reg.state = "up";
    reg.enable = get(tag, f.enable);
    reg.enable = one_of(f.off, reg.enable) ? "off" : reg.enable.empty() ? std::string() : std::string("on");
    reg.protocol = get(tag, f.protocol);
    reg.number = get(tag, f.number);
    reg.name = get(tag, f.name);
    reg.gatekeeper = get(tag, f.gatekeeper);
    reg.error = get(tag, f.error);
    reg.configured = !reg.protocol.empty() && !reg.gatekeeper.empty();
    out.push_back(std::move(reg));
  }
  r = rd.next(tag, e);
  if (r == xml_tag_reader::result::error)
    return fail(e);
  if (r != xml_tag_reader::result::done)
    return fail("content after </" + root + ">");
  return out;
}

} // namespace mpk::models
