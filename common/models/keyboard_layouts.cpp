#include "common/models/keyboard_layouts.hpp"

#include "common/models/catalog.hpp" // valid_utf8
#include "common/models/json_util.hpp"

#include <set>

namespace mpk::models {

std::optional<keyboard_layouts> keyboard_layouts::load(const std::string& dir, std::string& err) {
  json::reader rd;
  rd.file = "keyboards.json";
  simdjson::dom::parser parser;
  json::element root, e;
  json::object o, lo;
  auto fail = [&]() -> std::optional<keyboard_layouts> {
    err = rd.error;
    return std::nullopt;
  };
  auto res = parser.load(dir + "/keyboards.json").get(root);
  if (res) {
    rd.fail("", res == simdjson::IO_ERROR ? "cannot read file"
                                          : std::string("invalid JSON: ") + simdjson::error_message(res));
    return fail();
  }
  keyboard_layouts out;
  if (!rd.get_object(root, "", o) || !rd.field(o, "layouts", "", e) || !rd.get_object(e, "layouts", lo)) return fail();
  for (auto [id, le] : lo) {
    layout l;
    l.id = std::string(id);
    std::string path = "layouts." + l.id;
    json::object obj, keys;
    if (!rd.get_object(le, path, obj) || !rd.field(obj, "name", path, e) ||
        !rd.get_string(e, path + ".name", l.title) || !rd.field(obj, "keys", path, e) ||
        !rd.get_object(e, path + ".keys", keys))
      return fail();
    for (auto [code, ke] : keys) {
      key k;
      k.code = std::string(code);
      std::string kp = path + ".keys." + k.code;
      json::array a;
      if (!rd.get_array(ke, kp, a)) return fail();
      if (a.size() != 3) {
        rd.fail(kp, "must be [normal, shift, altgr]");
        return fail();
      }
      size_t i = 0;
      for (auto c : a) {
        if (!rd.get_string(c, kp, k.chars[i])) return fail();
        if (!valid_utf8(k.chars[i]) || k.chars[i].size() > 8) {
          rd.fail(kp, "bad character");
          return fail();
        }
        ++i;
      }
      l.keys.push_back(std::move(k));
    }
    out.layouts_.push_back(std::move(l));
  }
  if (out.layouts_.empty()) {
    rd.fail("layouts", "no layout");
    return fail();
  }
  json::array rows;
  if (!rd.field(o, "rows", "", e) || !rd.get_array(e, "rows", rows)) return fail();
  for (auto r : rows) {
    json::array ra;
    if (!rd.get_array(r, "rows", ra)) return fail();
    std::vector<std::string> row;
    for (auto c : ra) {
      std::string s;
      if (!rd.get_string(c, "rows", s)) return fail();
      // Every code of the on-screen keyboard must exist in every layout.
      for (const auto& l : out.layouts_) {
        bool found = false;
        for (const auto& k : l.keys) found = found || k.code == s;
        if (!found) {
          rd.fail("rows", "code " + s + " missing in layout " + l.id);
          return fail();
        }
      }
      row.push_back(std::move(s));
    }
    out.rows_.push_back(std::move(row));
  }
  return out;
}

std::optional<std::string> keyboard_layouts::resolve(std::string_view layout_id, std::string_view code, bool shift,
                                                     bool altgr) const {
  for (const auto& l : layouts_) {
    if (l.id != layout_id) continue;
    for (const auto& k : l.keys)
      if (k.code == code) return k.chars[altgr ? 2 : shift ? 1 : 0];
    return std::nullopt;
  }
  return std::nullopt;
}

std::vector<std::string> keyboard_layouts::names() const {
  std::vector<std::string> out;
  for (const auto& l : layouts_) out.push_back(l.id);
  return out;
}

std::string keyboard_layouts::title(std::string_view layout_id) const {
  for (const auto& l : layouts_)
    if (l.id == layout_id) return l.title;
  return {};
}

} // namespace mpk::models
