#include "common/models/model.hpp"

#include <algorithm>

namespace mpk::models {

namespace {

using code_list = std::vector<std::pair<std::string, std::string>>;

const std::string* code_of(const code_list& codes, std::string_view id) {
  auto it =
    std::lower_bound(codes.begin(), codes.end(), id, [](const auto& p, std::string_view v) { return p.first < v; });
  if (it == codes.end() || it->first != id) return nullptr;
  return &it->second;
}

} // namespace

// -- wire_spec ------------------------------------------------------------------------------

const wire_entry* wire_spec::entry(std::string_view name) const {
  for (const auto& e : entries)
    if (e.name == name) return &e;
  return nullptr;
}

wire_entry* wire_spec::entry(std::string_view name) {
  for (auto& e : entries)
    if (e.name == name) return &e;
  return nullptr;
}

const wire_candidate* wire_spec::candidate(std::string_view name, std::size_t i) const {
  const wire_entry* e = entry(name);
  if (!e || i >= e->candidates.size()) return nullptr;
  return &e->candidates[i];
}

const std::string& wire_spec::form(std::string_view name) const {
  static const std::string none;
  const wire_candidate* c = candidate(name);
  return c ? c->form : none;
}

code_list wire_spec::key_codes_for(const wire_candidate& c) const {
  if (c.key_codes.empty()) return key_codes;
  code_list out = key_codes;
  for (const auto& [id, code] : c.key_codes) {
    auto it =
      std::lower_bound(out.begin(), out.end(), id, [](const auto& p, const std::string& v) { return p.first < v; });
    if (it != out.end() && it->first == id)
      it->second = code;
    else
      out.insert(it, {id, code});
  }
  return out;
}

// -- model --------------------------------------------------------------------------------

bool model::has_key(std::string_view id) const { return find_key(id) != nullptr; }

const key_spec* model::find_key(std::string_view id) const {
  for (const auto& k : keys)
    if (k.id == id) return &k;
  return nullptr;
}

std::optional<std::string> model::key_code(std::string_view id) const {
  if (!has_key(id)) return std::nullopt;
  if (auto* c = code_of(wire.key_codes, id)) return *c;
  return std::nullopt;
}

std::optional<std::string> model::key_code(std::string_view id, const wire_spec& w, const wire_candidate& c) const {
  if (!has_key(id)) return std::nullopt;
  if (auto* own = code_of(c.key_codes, id)) return *own;
  if (auto* shared = code_of(w.key_codes, id)) return *shared;
  return std::nullopt;
}

std::optional<std::string> model::key_id_for_code(std::string_view code) const {
  // Only the model's own keys count: a code of a key the model lacks is unknown to it.
  for (const auto& [id, c] : wire.key_codes)
    if (c == code && has_key(id)) return id;
  return std::nullopt;
}

std::optional<std::string> model::key_id_for_code(std::string_view code, const wire_spec& w,
                                                  const wire_candidate& c) const {
  for (const auto& [id, cc] : w.key_codes_for(c))
    if (cc == code && has_key(id)) return id;
  return std::nullopt;
}

const std::string* model::action_template(std::string_view name) const {
  for (const auto& [n, t] : wire.actions)
    if (n == name) return &t;
  return nullptr;
}

} // namespace mpk::models
