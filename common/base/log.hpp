#pragma once
// One line per event: timestamp, level, trace category, actor/connection id, text.
// Trace categories can be switched at run time (the `app` and `appws` flags of the original app).

#include <atomic>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace mpk::log {

enum class level { debug, info, warn, error };

/// Trace categories. `app`: application events; `appws`: every websocket frame in and out (secrets masked);
/// `link`: PBX/devices-api/node links; `lcd`: phone screen pipeline.
enum class category : unsigned { app = 0, appws, link, lcd, count };

std::string_view to_string(category c);
std::optional<category> category_from(std::string_view name);

/// Switch a category on or off at run time (thread-safe).
void set_trace(category c, bool on);
bool trace_enabled(category c);
std::vector<std::pair<std::string, bool>> trace_flags();

/// Minimum level for untraced events (info by default).
void set_level(level l);

/// Writes one line. `who` names the actor or connection, e.g. "pbx_link#3" or "conn 17".
void write(level l, category c, std::string_view who, std::string_view text);

/// Masks the values of secret members in a JSON frame for the `appws` trace:
/// digest, key, password, pwd, challenge-bound values and passthrough URIs never reach a log in clear.
std::string mask_secrets(std::string_view frame);

// Convenience: build the text with <<.
template <class... Ts>
std::string cat(const Ts&... xs) {
  std::ostringstream os;
  (os << ... << xs);
  return os.str();
}

} // namespace mpk::log

// Events that always log at their level.
#define MPK_INFO(who, ...) \
  ::mpk::log::write(::mpk::log::level::info, ::mpk::log::category::app, who, ::mpk::log::cat(__VA_ARGS__))
#define MPK_WARN(who, ...) \
  ::mpk::log::write(::mpk::log::level::warn, ::mpk::log::category::app, who, ::mpk::log::cat(__VA_ARGS__))
#define MPK_ERROR(who, ...) \
  ::mpk::log::write(::mpk::log::level::error, ::mpk::log::category::app, who, ::mpk::log::cat(__VA_ARGS__))
// Trace lines: only when the category is switched on (the text is not even built otherwise).
#define MPK_TRACE(cat_, who, ...)                                                                                 \
  do {                                                                                                            \
    if (::mpk::log::trace_enabled(::mpk::log::category::cat_))                                                    \
      ::mpk::log::write(::mpk::log::level::debug, ::mpk::log::category::cat_, who, ::mpk::log::cat(__VA_ARGS__)); \
  } while (false)
