#include "sim/shell/query.hpp"

namespace mpk::sim {

std::string_view shell_target::param(std::string_view key) const {
  for (const auto& [k, v] : params)
    if (k == key) return v;
  return {};
}

std::optional<shell_target> parse_shell_target(std::string_view target) {
  auto parts = http::split_target(target);
  if (!parts) return std::nullopt;
  return shell_target{std::move(parts->path), std::move(parts->query)};
}

} // namespace mpk::sim
