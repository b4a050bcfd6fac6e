#include "common/models/registrations.hpp"

#include "common/models/xml_attr.hpp"

namespace mpk::models {

namespace {

constexpr std::size_t max_regs = 64;
constexpr int max_reg_id = 999;

std::optional<int> parse_id(const std::string& s) {
  if (s.empty() || s.size() > 3)
    return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9')
      return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::string get(const xml_tag& t, std::string_view name) {
  auto* v = t.attr(name);
  return v ? *v : std::string{};
}

} // namespace

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

std::string format_registrations_xml(const std::vector<registration>& regs) {
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<regs>\n";
  for (const auto& r : regs) {
    out += "  <reg id=\"" + std::to_string(r.id) + "\" state=\"" + xml_escape(r.state) +
           "\" enable=\"" + xml_escape(r.enable) + "\" prot=\"" + xml_escape(r.protocol) +
           "\" e164=\"" + xml_escape(r.number) + "\" h323=\"" + xml_escape(r.name) +
           "\" gk-addr=\"" + xml_escape(r.gatekeeper) + "\" error=\"" + xml_escape(r.error) +
           "\"/>\n";
  }
  out += "</regs>\n";
  return out;
}

std::optional<std::vector<registration>> parse_registrations_xml(std::string_view xml,
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
  if (tag.name != "regs" || tag.kind == xml_tag::type::end)
    return fail("expected <regs>, got <" + tag.name + ">");
  bool closed = tag.kind == xml_tag::type::empty;

  while (!closed) {
    r = rd.next(tag, e);
    if (r == xml_tag_reader::result::error)
      return fail(e);
    if (r == xml_tag_reader::result::done)
      return fail("missing </regs>");
    if (tag.kind == xml_tag::type::end) {
      if (tag.name != "regs")
        return fail("unexpected </" + tag.name + ">");
      closed = true;
      break;
    }
    if (tag.name != "reg")
      return fail("unexpected <" + tag.name + "> inside <regs>");
    if (tag.kind == xml_tag::type::start) {
      // Allow <reg ...></reg> as well as <reg .../>.
      xml_tag end;
      r = rd.next(end, e);
      if (r == xml_tag_reader::result::error)
        return fail(e);
      if (r != xml_tag_reader::result::tag || end.kind != xml_tag::type::end || end.name != "reg")
        return fail("<reg> must be empty");
    }
    if (out.size() >= max_regs)
      return fail("more than " + std::to_string(max_regs) + " registrations");
    auto* id = tag.attr("id");
    if (!id)
      return fail("<reg> without id");
    auto idv = parse_id(*id);
    if (!idv || *idv > max_reg_id)
      return fail("bad id \"" + *id + "\"");
    for (const auto& o : out)
      if (o.id == *idv)
        return fail("duplicate id " + *id);
    registration reg;
    reg.id = *idv;
    reg.state = get(tag, "state");
    reg.enable = get(tag, "enable");
    reg.protocol = get(tag, "prot");
    reg.number = get(tag, "e164");
    reg.name = get(tag, "h323");
    reg.gatekeeper = get(tag, "gk-addr");
    reg.error = get(tag, "error");
    reg.configured = !reg.protocol.empty() && !reg.gatekeeper.empty();
    out.push_back(std::move(reg));
  }
  r = rd.next(tag, e);
  if (r == xml_tag_reader::result::error)
    return fail(e);
  if (r != xml_tag_reader::result::done)
    return fail("content after </regs>");
  return out;
}

} // namespace mpk::models
