// The wire data in force: the catalog's own, or an operator's wire file merged over it.

#include "common/models/wire_book.hpp"

#include "common/models/wire_read.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

namespace mpk::models {

namespace {

bool same_wire(const wire_spec& a, const wire_spec& b) {
  if (a.key_codes != b.key_codes || a.actions != b.actions || a.entries.size() != b.entries.size()) return false;
  for (std::size_t i = 0; i < a.entries.size(); ++i) {
    const auto& x = a.entries[i].candidates;
    const auto& y = b.entries[i].candidates;
    if (a.entries[i].name != b.entries[i].name || x.size() != y.size()) return false;
    for (std::size_t j = 0; j < x.size(); ++j)
      if (x[j].form != y[j].form || x[j].key_codes != y[j].key_codes || x[j].format != y[j].format) return false;
  }
  return true;
}

} // namespace

wire_book wire_book::built_in(const catalog& c) {
  wire_book b;
  for (const auto& p : c.products())
    if (const model* m = c.get(p)) b.by_product_[product_key(p)] = std::make_shared<const wire_spec>(m->wire);
  return b;
}

std::optional<wire_book> wire_book::load(const catalog& c, const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "wire file " + path + ": cannot read file";
    return std::nullopt;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return parse(c, ss.str(), path, error);
}

std::optional<wire_book> wire_book::parse(const catalog& c, std::string_view text, const std::string& name,
                                          std::string& error) {
  json::reader rd;
  rd.file = "wire file " + name;
  auto failed = [&]() -> std::optional<wire_book> {
    error = rd.error.empty() ? rd.file + ": unknown error" : rd.error;
    return std::nullopt;
  };
  simdjson::dom::parser parser;
  simdjson::padded_string padded(text);
  json::element root;
  if (auto err = parser.parse(padded).get(root)) {
    rd.fail("", std::string("invalid JSON: ") + simdjson::error_message(err));
    return failed();
  }
  json::object top;
  if (!rd.get_object(root, "", top)) return failed();

  wire_book b;
  b.origin_ = name;
  std::set<std::string> families;
  for (const auto& p : c.products()) families.insert(c.get(p)->family);

  // -- the sections, checked for names before anything is merged --
  json::object all, fams, mods;
  bool has_all = false, has_fams = false, has_mods = false;
  for (auto [k, v] : top) {
    std::string key(k);
    if (key == "about") {
      if (!rd.get_string(v, key, b.about_)) return failed();
    } else if (key == "wire") {
      if (!rd.get_object(v, key, all)) return failed();
      has_all = true;
    } else if (key == "families") {
      if (!rd.get_object(v, key, fams)) return failed();
      has_fams = true;
      for (auto [f, fv] : fams)
        if (!families.count(std::string(f))) {
          rd.fail(
            "families." + std::string(f), "unknown family (known: " + [&] {
              std::string list;
              for (const auto& x : families) list += (list.empty() ? "" : ", ") + x;
              return list;
            }() + ")");
          return failed();
        }
    } else if (key == "models") {
      if (!rd.get_object(v, key, mods)) return failed();
      has_mods = true;
      for (auto [p, pv] : mods)
        if (!c.get(p)) {
          rd.fail("models." + std::string(p), "unknown model");
          return failed();
        }
    } else {
      rd.fail(key, "unknown section (about, wire, families, models)");
      return failed();
    }
  }

  // -- each model: its own data, then the sections that concern it --
  for (const auto& p : c.products()) {
    const model& m = *c.get(p);
    wire_spec w = m.wire;
    auto apply = [&](json::object section, const std::string& base) {
      if (!detail::read_wire(rd, section, base, w) || !detail::check_wire(rd, base, w)) return false;
      std::sort(w.key_codes.begin(), w.key_codes.end());
      return detail::check_key_codes(rd, base + " (for " + m.product + ")", m, w);
    };
    json::element e;
    json::object o;
    if (has_all && !apply(all, "wire")) return failed();
    if (has_fams && json::reader::optional_field(fams, m.family, e) &&
        (!rd.get_object(e, "families." + m.family, o) || !apply(o, "families." + m.family)))
      return failed();
    if (has_mods) {
      for (auto [name, v] : mods) {
        if (product_key(name) != product_key(m.product)) continue;
        std::string base = "models." + std::string(name);
        if (!rd.get_object(v, base, o) || !apply(o, base)) return failed();
      }
    }
    if (!same_wire(w, m.wire)) b.changed_.push_back(m.product);
    b.by_product_[product_key(p)] = std::make_shared<const wire_spec>(std::move(w));
  }
  return b;
}

std::shared_ptr<const wire_spec> wire_book::find(std::string_view product) const {
  auto it = by_product_.find(product_key(product));
  return it == by_product_.end() ? nullptr : it->second;
}

} // namespace mpk::models
