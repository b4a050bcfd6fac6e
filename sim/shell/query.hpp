#pragma once
/// The shell's request targets ("/shell/login?pbx=a&user=b") as path and parameters, on top of
/// common/http's target splitting and percent-encoding.

#include "common/http/url.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mpk::sim {

struct shell_target {
  std::string path;                                        ///< decoded path, e.g. "/shell/login"
  std::vector<std::pair<std::string, std::string>> params; ///< decoded query pairs, in order

  /// The first parameter named `key`; "" if absent.
  std::string_view param(std::string_view key) const;
};

/// nullopt if the target does not start with '/' or holds a bad %-escape. In the query '+' is a space.
std::optional<shell_target> parse_shell_target(std::string_view target);

using http::url_encode;

} // namespace mpk::sim
