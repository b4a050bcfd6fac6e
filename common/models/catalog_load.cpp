// Loading and checking the model data directory (index.json, wire.json, <family>.json).
// Everything a hand edit can break is checked here, so the request builders and the
// simulated phone can rely on a consistent model.

#include "common/models/catalog.hpp"
#include "common/models/json_util.hpp"
#include "common/models/wire_read.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace mpk::models {

namespace {

using json::reader;

bool valid_key_id(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; });
}

} // namespace

/// Builds a catalog from the files of one directory.
class catalog_loader {
public:
  explicit catalog_loader(std::string dir) : dir_(std::move(dir)) {}

  std::optional<catalog> run(std::string& error) {
    catalog c;
    c.dir_ = dir_;
    auto models = std::make_shared<std::vector<model>>();
    if (!load(c, *models)) {
      error = rd_.error.empty() ? "model data: unknown error" : rd_.error;
      return std::nullopt;
    }
    c.models_ = std::move(models);
    return c;
  }

private:
  bool open(const std::string& file, json::element& root) {
    rd_.file = file;
    auto err = parser_.load(dir_ + "/" + file).get(root);
    if (err == simdjson::IO_ERROR) return rd_.fail("", "cannot read file");
    if (err) return rd_.fail("", std::string("invalid JSON: ") + simdjson::error_message(err));
    return true;
  }

  bool load(catalog& c, std::vector<model>& models) {
    // -- wire.json: the shared wire defaults --
    wire_spec base_wire = detail::empty_wire();
    json::element root;
    json::object o;
    if (!open("wire.json", root) || !rd_.get_object(root, "", o) || !detail::read_wire(rd_, o, "wire", base_wire))
      return false;

    // -- index.json --
    std::vector<std::pair<std::string, std::vector<std::string>>> families;
    if (!open("index.json", root) || !rd_.get_object(root, "", o)) return false;
    json::element fe, ue;
    json::object fo, uo;
    if (!rd_.field(o, "families", "", fe) || !rd_.get_object(fe, "families", fo)) return false;
    std::set<std::string> seen;
    for (auto [fam, list] : fo) {
      std::string f(fam), path = "families." + f;
      if (!detail::safe_name(f)) return rd_.fail(path, "bad family name (letters, digits, '-' and '_' only)");
      json::array a;
      if (!rd_.get_array(list, path, a)) return false;
      std::vector<std::string> prods;
      for (auto p : a) {
        std::string s;
        if (!rd_.get_string(p, path, s)) return false;
        if (s.empty() || !seen.insert(product_key(s)).second)
          return rd_.fail(path, "empty or duplicate product \"" + s + "\"");
        prods.push_back(s);
        c.products_.push_back(s);
      }
      families.emplace_back(f, std::move(prods));
    }
    if (families.empty()) return rd_.fail("families", "no family listed");
    if (json::reader::optional_field(o, "unsupported", ue)) {
      if (!rd_.get_object(ue, "unsupported", uo)) return false;
      for (auto [prod, why] : uo) {
        std::string p(prod), reason;
        if (!rd_.get_string(why, "unsupported." + p, reason)) return false;
        if (!seen.insert(product_key(p)).second) return rd_.fail("unsupported." + p, "listed twice");
        c.unsupported_.emplace_back(p, reason);
      }
    }

    // -- one file per family --
    for (const auto& [fam, prods] : families)
      if (!load_family(fam, prods, base_wire, models)) return false;
    // Index order, so products() and the models agree.
    std::vector<model> ordered;
    for (const auto& p : c.products_)
      for (auto& m : models)
        if (m.product == p) ordered.push_back(std::move(m));
    models = std::move(ordered);
    return true;
  }

  bool load_family(const std::string& fam, const std::vector<std::string>& prods, const wire_spec& base_wire,
                   std::vector<model>& models) {
    json::element root, e;
    json::object o;
    if (!open(fam + ".json", root) || !rd_.get_object(root, "", o)) return false;
    std::string name;
    if (!rd_.field(o, "family", "", e) || !rd_.get_string(e, "family", name)) return false;
    if (name != fam) return rd_.fail("family", "is \"" + name + "\", expected \"" + fam + "\"");
    json::object tmp;
    if (!rd_.field(o, "body", "", e) || !rd_.get_object(e, "body", tmp) || !rd_.field(o, "screenBox", "", e) ||
        !rd_.get_object(e, "screenBox", tmp))
      return false;

    // keys
    std::vector<key_spec> keys;
    json::array ka;
    if (!rd_.field(o, "keys", "", e) || !rd_.get_array(e, "keys", ka)) return false;
    std::set<std::string> ids;
    size_t i = 0;
    for (auto ke : ka) {
      std::string path = "keys[" + std::to_string(i++) + "]";
      json::object ko;
      key_spec k;
      json::element f;
      std::string kind;
      if (!rd_.get_object(ke, path, ko) || !rd_.field(ko, "id", path, f) || !rd_.get_string(f, path + ".id", k.id) ||
          !rd_.field(ko, "kind", path, f) || !rd_.get_string(f, path + ".kind", kind))
        return false;
      if (!valid_key_id(k.id)) return rd_.fail(path + ".id", "bad key id \"" + k.id + "\" (A-Z, 0-9, _)");
      if (!ids.insert(k.id).second) return rd_.fail(path + ".id", "duplicate key id " + k.id);
      if (auto known = key_kind_from(kind))
        k.kind = *known;
      else
        return rd_.fail(path + ".kind", "unknown kind \"" + kind + "\"");
      if (json::reader::optional_field(ko, "label", f) && !rd_.get_string(f, path + ".label", k.label)) return false;
      if (json::reader::optional_field(ko, "sub", f) && !rd_.get_string(f, path + ".sub", k.sub)) return false;
      if (json::reader::optional_field(ko, "led", f) && !rd_.get_bool(f, path + ".led", k.led)) return false;
      for (const char* g : {"x", "y", "w", "h"}) {
        int v = 0;
        if (!rd_.field(ko, g, path, f) || !rd_.get_int(f, path + "." + g, v, 0, 10000)) return false;
      }
      keys.push_back(std::move(k));
    }

    // wire overrides
    wire_spec wire = base_wire;
    if (json::reader::optional_field(o, "wire", e)) {
      json::object wo;
      if (!rd_.get_object(e, "wire", wo) || !detail::read_wire(rd_, wo, "wire", wire)) return false;
    }
    std::sort(wire.key_codes.begin(), wire.key_codes.end());
    rd_.file = fam + ".json (with wire.json)";
    if (!detail::check_wire(rd_, "wire", wire)) return false;
    rd_.file = fam + ".json";

    // models
    json::object mo;
    if (!rd_.field(o, "models", "", e) || !rd_.get_object(e, "models", mo)) return false;
    for (auto [prod, me] : mo) {
      std::string p(prod);
      if (std::find(prods.begin(), prods.end(), p) == prods.end())
        return rd_.fail("models." + p, "not listed for " + fam + " in index.json");
    }
    for (const auto& p : prods) {
      json::element me;
      if (!rd_.field(mo, p, "models", me)) return false;
      model m;
      if (!read_model(me, "models." + p, fam, p, keys, wire, m)) return false;
      models.push_back(std::move(m));
    }
    return true;
  }

  bool read_model(json::element me, const std::string& path, const std::string& fam, const std::string& prod,
                  const std::vector<key_spec>& keys, const wire_spec& wire, model& m) {
    json::object o, so;
    json::element e;
    m.product = prod;
    m.family = fam;
    m.wire = wire;
    if (!rd_.get_object(me, path, o) || !rd_.field(o, "screen", path, e) || !rd_.get_object(e, path + ".screen", so))
      return false;
    auto sp = path + ".screen";
    if (!rd_.field(so, "width", sp, e) || !rd_.get_int(e, sp + ".width", m.screen.width, 8, 4096) ||
        !rd_.field(so, "height", sp, e) || !rd_.get_int(e, sp + ".height", m.screen.height, 8, 4096) ||
        !rd_.field(so, "bpp", sp, e) || !rd_.get_int(e, sp + ".bpp", m.screen.bpp, 1, 32) ||
        !rd_.field(so, "color", sp, e) || !rd_.get_bool(e, sp + ".color", m.screen.color))
      return false;
    const int b = m.screen.bpp;
    if (b != 1 && b != 4 && b != 8 && b != 16 && b != 24 && b != 32)
      return rd_.fail(sp + ".bpp", "must be 1, 4, 8, 16, 24 or 32");
    if (m.screen.color && b < 16) return rd_.fail(sp + ".color", "a colour screen needs 16, 24 or 32 bpp");
    m.ui = "new";
    if (json::reader::optional_field(o, "ui", e) && !rd_.get_string(e, path + ".ui", m.ui)) return false;
    if (m.ui != "new" && m.ui != "old") return rd_.fail(path + ".ui", "must be \"new\" or \"old\"");
    if (json::reader::optional_field(o, "touch", e) && !rd_.get_bool(e, path + ".touch", m.touch)) return false;
    if (!rd_.field(o, "functionKeys", path, e) || !rd_.get_int(e, path + ".functionKeys", m.function_keys, 0, 99))
      return false;
    std::set<key_kind> omit;
    if (json::reader::optional_field(o, "omitKinds", e)) {
      json::array a;
      if (!rd_.get_array(e, path + ".omitKinds", a)) return false;
      for (auto k : a) {
        std::string s;
        if (!rd_.get_string(k, path + ".omitKinds", s)) return false;
        auto kind = key_kind_from(s);
        if (!kind) return rd_.fail(path + ".omitKinds", "unknown kind \"" + s + "\"");
        omit.insert(*kind);
      }
    }
    json::object tmp;
    for (const char* g : {"body", "screenBox"})
      if (json::reader::optional_field(o, g, e) && !rd_.get_object(e, path + "." + g, tmp)) return false;

    for (const auto& k : keys) {
      if (omit.count(k.kind)) continue;
      if (k.kind == key_kind::function && k.id.size() > 1 && k.id[0] == 'F') {
        int n = std::atoi(k.id.c_str() + 1);
        if (n > m.function_keys) continue;
      }
      m.keys.push_back(k);
    }
    // Every key of the model needs a unique wire code, or the simulated phone and the
    // phone-session could not agree which key was meant.
    return detail::check_key_codes(rd_, path, m, m.wire);
  }

  std::string dir_;
  simdjson::dom::parser parser_;
  reader rd_;
};

std::optional<catalog> catalog::load(const std::string& dir, std::string& error) {
  return catalog_loader(dir).run(error);
}

} // namespace mpk::models
