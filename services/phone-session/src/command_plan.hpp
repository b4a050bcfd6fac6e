#pragma once
/// Turns one operation on a phone (key, touch, text, action, raw command) into the passthrough
/// path to request, or a refusal with a code, before anything is sent. The wire forms come
/// from the model data (docs/models.md), never from code.

#include "common/actors/messages.hpp"
#include "common/models/catalog.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace mpk::session {

/// The fields of a phone_command that decide what is sent.
struct command_args {
  command_kind kind = command_kind::key;
  std::string_view name; ///< key id, text, action name or command line
  std::string_view arg;  ///< action argument
  std::int32_t x = 0, y = 0, hold_ms = 0;
};

struct command_plan {
  std::string path;         ///< phone path (percent-encoded), appended to the passthrough base
  std::string what;         ///< for the audit log, e.g. "key D5", "action dial 123"
  bool refresh_lcd = false; ///< the screen probably changed: poll it right after
};

struct command_refusal {
  std::string code; ///< BAD_KEY or BAD_REQUEST
  std::string text; ///< plain words
  std::string what;
};

/// Never throws; any input gives a plan or a refusal. `w` is the wire data in force and
/// `form` the candidate to render for a key, touch or text (ignored for the other kinds); the
/// short form uses the model's own data and its first candidates.
std::variant<command_plan, command_refusal> plan_command(const models::catalog& cat, const models::model& m,
                                                         const models::wire_spec& w, const models::wire_candidate* form,
                                                         const command_args& c);
std::variant<command_plan, command_refusal> plan_command(const models::catalog& cat, const models::model& m,
                                                         const command_args& c);

/// The wire entry whose candidates a command kind is sent with ("key", "touch", "text"); ""
/// for kinds with one form (action, command) and for labels (never sent).
std::string searched_entry(command_kind kind);

/// Readable one-line description of an operation for the audit log (bounded, valid UTF-8).
std::string describe_command(const command_args& c);

/// `s` cut to at most `max` bytes on a character boundary; invalid UTF-8 or control
/// characters are replaced so the result can go into logs and JSON safely.
std::string printable(std::string_view s, std::size_t max = 128);

/// A phone's answer as text for the admin: kept with its line breaks, cut to `max` bytes on a
/// character boundary; binary or invalid UTF-8 output is summarised instead.
std::string output_text(std::string_view body, std::size_t max = 64 * 1024);

} // namespace mpk::session
