#pragma once
/// Wire path templates such as "/PHONE/APP/mod_cmd.xml?cmd=xml-key&key={code}&ms={holdMs}":
/// rendering (phone-session side) and matching (simulated phone side). Both sides use the
/// same rules, so a path built by one is always understood by the other.

#include "common/http/url.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mpk::models {

using wire_values = std::vector<std::pair<std::string_view, std::string_view>>;
using wire_captures = std::vector<std::pair<std::string, std::string>>;

// Percent-encoding is common/http's (one implementation for the whole product).
using http::url_decode;
using http::url_encode;

/// Names of the {placeholders} in a template, in order; nullopt if braces are unbalanced.
std::optional<std::vector<std::string>> template_placeholders(std::string_view tmpl);

/// Render a template: placeholder values are percent-encoded ('/' kept in the path part),
/// spaces of the literal text become %20. nullopt if a placeholder has no value.
std::optional<std::string> render_template(std::string_view tmpl, const wire_values& values);

/// Match a request target against a template. Path literals must be equal after decoding,
/// a path may end in one placeholder that captures the rest; every query parameter of the
/// template must be present (literal values equal, placeholders captured); extra parameters
/// of the target (e.g. a cache buster) are ignored. nullopt when it does not match.
/// `specificity` (optional) receives the count of literal characters matched, so a caller
/// can prefer the most specific of several matching templates.
std::optional<wire_captures> match_template(std::string_view tmpl, std::string_view target, int* specificity = nullptr);

/// Value of a capture by name; empty view when absent.
std::string_view capture(const wire_captures& c, std::string_view name);

/// A plain decimal number (digits only, at most 6) within [lo, hi]: a captured value, an id in a
/// phone's answer, a number typed on a command line; nullopt otherwise.
std::optional<int> parse_decimal(std::string_view s, int lo, int hi);

} // namespace mpk::models
