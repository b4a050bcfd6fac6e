#include "common/models/model.hpp"

#include <algorithm>

namespace mpk::models {

bool model::has_key(std::string_view id) const { return find_key(id) != nullptr; }

const key_spec* model::find_key(std::string_view id) const {
  for (const auto& k : keys)
    if (k.id == id)
      return &k;
  return nullptr;
}

std::optional<std::string> model::key_code(std::string_view id) const {
  if (!has_key(id))
    return std::nullopt;
  auto it = std::lower_bound(wire.key_codes.begin(), wire.key_codes.end(), id,
                             [](const auto& p, std::string_view v) { return p.first < v; });
  if (it == wire.key_codes.end() || it->first != id)
    return std::nullopt;
  return it->second;
}

std::optional<std::string> model::key_id_for_code(std::string_view code) const {
  // Only the model's own keys count: a code of a key the model lacks is unknown to it.
  for (const auto& [id, c] : wire.key_codes)
    if (c == code && has_key(id))
      return id;
  return std::nullopt;
}

const std::string* model::action_template(std::string_view name) const {
  for (const auto& [n, t] : wire.actions)
    if (n == name)
      return &t;
  return nullptr;
}

} // namespace mpk::models
