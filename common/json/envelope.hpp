#pragma once
/// One AppWebsocket text frame (docs/spec/appwebsocket.md §1): a JSON object with `mt`, optional `api`
/// and `src`, and a body of further members. Parsed with simdjson's DOM parser.

#include "common/json/writer.hpp"

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

namespace mpk::json {

/// Why a frame was refused.
enum class envelope_errc { too_large, malformed, not_object, missing_mt, mt_not_string };

/// Clear English text for logs and errorText, e.g. "frame is not valid JSON".
std::string_view describe(envelope_errc);

class envelope_parser;

/// A parsed frame: a view valid until the next parse() on the same parser.
class envelope {
public:
  std::string_view mt() const { return mt_; }
  /// The `api` string; "" if absent (or not a string).
  std::string_view api() const { return api_; }
  /// True if the frame has a `src` member (of any type: it is echoed unchanged).
  bool has_src() const { return has_src_; }
  /// The `src` string; "" if absent or not a string (see raw("src") for other types).
  std::string_view src() const { return src_; }

  /// Top-level member of type string (unescaped).
  std::optional<std::string_view> string(std::string_view key) const;
  /// Top-level member that is an integer within int64 range (1.0 is not an integer).
  std::optional<std::int64_t> integer(std::string_view key) const;
  std::optional<bool> boolean(std::string_view key) const;
  /// Top-level member of any number type, as double.
  std::optional<double> number(std::string_view key) const;
  bool has(std::string_view key) const;
  /// Raw JSON text of a top-level member as it stood in the frame (for the `info` digest: keep
  /// the sender's member order and spelling). With duplicate keys, the first one, like the getters.
  std::optional<std::string_view> raw(std::string_view key) const;
  /// Full DOM access for nested bodies.
  simdjson::dom::element root() const { return root_; }
  /// The frame text.
  std::string_view text() const { return text_; }

private:
  friend class envelope_parser;
  simdjson::dom::element root_;
  simdjson::dom::object object_;
  std::string_view text_, mt_, api_, src_;
  bool has_src_ = false;
};

/// Parses frames one after the other, reusing its simdjson parser and buffer (one per connection/actor).
class envelope_parser {
public:
  explicit envelope_parser(std::size_t max_bytes = 1 << 20);
  ~envelope_parser();
  envelope_parser(envelope_parser&&) noexcept;
  envelope_parser& operator=(envelope_parser&&) noexcept;

  /// nullptr on failure with `err` set. Copies the frame into a padded buffer it owns.
  /// A moved-from parser refuses every frame as malformed.
  const envelope* parse(std::string_view frame, envelope_errc& err);

private:
  // Behind a pointer: dom::parser's layout depends on SIMDJSON_THREADS_ENABLED, so a by-value
  // member would break any user compiled without exactly the same simdjson definitions.
  struct state;
  std::unique_ptr<state> state_;
};

/// Start a reply that echoes api and src: writes {"mt":<mt>,"api":..(only if req had api),
/// "src":..(only if req had src) — object left open.
void begin_reply(json_writer& w, const envelope& req, std::string_view mt);

/// Open a message object {"mt":<mt>[,"api":<api>][,"src":<src>] (empty api/src are left out).
void begin_message(json_writer& w, std::string_view mt, std::string_view api = {}, std::string_view src = {});

/// A complete error reply {"mt":<mt>[,"api":..][,"src":..],"error":<error>,"errorText":<text>};
/// api/src echoed from `req_or_null` when given. `error` is written as a JSON string.
std::string error_reply(const envelope* req_or_null, std::string_view mt, std::string_view error,
                        std::string_view error_text);

} // namespace mpk::json
