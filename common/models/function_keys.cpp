#include "common/models/function_keys.hpp"

#include "common/models/wire_template.hpp"
#include "common/models/xml_attr.hpp"

namespace mpk::models {

namespace {

constexpr std::size_t max_keys = 128;
constexpr std::size_t max_label_bytes = 256;

} // namespace

function_keys_format function_keys_format::from(const wire_format& f) {
  function_keys_format out;
  for (const auto& [k, v] : f) {
    if (k == "root")
      out.root = v;
    else if (k == "item")
      out.item = v;
    else if (k == "n")
      out.n = v;
    else if (k == "nBase")
      out.n_base = v == "0" ? 0 : 1;
    else if (k == "label")
      out.label = v;
    else if (k == "led")
      out.led = v;
    else if (k == "colour")
      out.colour = v;
    else if (k == "on")
      out.on = split_list(v);
    else if (k == "blink")
      out.blink = split_list(v);
    else if (k == "flash")
      out.flash = split_list(v);
  }
  return out;
}

std::string format_function_keys_xml(const std::vector<function_key_state>& keys, const function_keys_format& f) {
  const std::string root = f.root.empty() ? std::string("keys") : f.root;
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<" + root + ">\n";
  auto attr = [&](const std::string& name, const std::string& value) {
    if (!name.empty()) out += " " + name + "=\"" + xml_escape(value) + "\"";
  };
  auto spelled = [](const std::vector<std::string>& list, const std::string& v) {
    return list.empty() ? v : list.front();
  };
  for (const auto& k : keys) {
    out += "  <" + f.item;
    attr(f.n, std::to_string(k.n - 1 + f.n_base));
    attr(f.label, k.label);
    if (!k.led.empty())
      attr(f.led, k.led == "on"      ? spelled(f.on, k.led)
                  : k.led == "blink" ? spelled(f.blink, k.led)
                  : k.led == "flash" ? spelled(f.flash, k.led)
                                     : k.led);
    if (!k.colour.empty()) attr(f.colour, k.colour);
    out += "/>\n";
  }
  out += "</" + root + ">\n";
  return out;
}

std::optional<std::vector<function_key_state>> parse_function_keys_xml(std::string_view xml,
                                                                       const function_keys_format& f,
                                                                       std::string& err) {
  std::vector<function_key_state> out;
  auto each = [&](const xml_tag& tag) -> std::string {
    auto* n = f.n.empty() ? nullptr : tag.attr(f.n);
    if (!n) return "<" + f.item + "> without " + (f.n.empty() ? std::string("n") : f.n);
    auto nv = parse_decimal(*n, f.n_base, 998 + f.n_base);
    if (!nv) return "bad key number \"" + *n + "\"";
    function_key_state k;
    k.n = *nv - f.n_base + 1;
    for (const auto& o : out)
      if (o.n == k.n) return "duplicate key number " + *n;
    k.label = attr_or_empty(tag, f.label);
    if (k.label.size() > max_label_bytes)
      return "label of key " + *n + " longer than " + std::to_string(max_label_bytes) + " bytes";
    auto* led = f.led.empty() ? nullptr : tag.attr(f.led);
    if (led)
      k.led = listed(f.on, *led) ? "on" : listed(f.blink, *led) ? "blink" : listed(f.flash, *led) ? "flash" : "off";
    auto colour = attr_or_empty(tag, f.colour);
    if (colour == "green" || colour == "red" || colour == "amber") k.colour = colour;
    out.push_back(std::move(k));
    return "";
  };
  if (!read_flat_list(xml, f.root, f.item, max_keys, "keys", each, err)) {
    err = "function keys: " + err;
    return std::nullopt;
  }
  return out;
}

} // namespace mpk::models
