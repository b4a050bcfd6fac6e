#pragma once
/// Reading and checking wire objects ("wire" of wire.json, of a family file, of an operator's
/// wire file). Internal to common/models: the catalog loader and the wire-file loader share it,
/// so the built-in data and an override obey the same rules and fail with the same messages.

#include "common/models/json_util.hpp"
#include "common/models/model.hpp"

#include <string>

namespace mpk::models::detail {

/// A name that may become a file name or a key: 1-32 letters, digits, '-' and '_' (families, actions).
bool safe_name(std::string_view s);

/// A wire spec with every entry of wire_entry_rules() and no candidates yet.
wire_spec empty_wire();

/// Reads a wire object into `w`. Entries present replace that entry's candidates (a string is
/// one form, an object one candidate, an array candidates in order); keyCodes and actions are
/// merged name by name (null removes one). Absent entries keep what `w` has.
bool read_wire(json::reader& rd, json::object o, const std::string& base, wire_spec& w);

/// Checks every form: starts with '/', balanced braces, only the entry's placeholders, the
/// required ones present; every searched entry has at least one candidate.
bool check_wire(json::reader& rd, const std::string& base, const wire_spec& w);

/// Every key of `m` has a code under `w`'s keyCodes and under each key candidate's, and no two
/// keys share one (else the phone could not tell which key was meant).
bool check_key_codes(json::reader& rd, const std::string& path, const model& m, const wire_spec& w);

} // namespace mpk::models::detail
