#pragma once
/// Small helpers for reading the model data with simdjson's DOM API. Internal to
/// common/models (only its .cpp files include it): every getter reports the JSON path of a
/// missing or mistyped field so a hand-edited data file fails with a clear message.

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace mpk::models::json {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

/// Collects the first error with its file and field path.
struct reader {
  std::string file;
  std::string error;

  bool fail(const std::string& path, const std::string& what) {
    if (error.empty()) error = file + ": " + (path.empty() ? "" : path + ": ") + what;
    return false;
  }

  bool get_object(element e, const std::string& path, object& out) {
    if (e.get(out) != simdjson::SUCCESS) return fail(path, "must be an object");
    return true;
  }
  bool get_array(element e, const std::string& path, array& out) {
    if (e.get(out) != simdjson::SUCCESS) return fail(path, "must be an array");
    return true;
  }
  bool get_string(element e, const std::string& path, std::string& out) {
    std::string_view v;
    if (e.get(v) != simdjson::SUCCESS) return fail(path, "must be a string");
    out.assign(v);
    return true;
  }
  bool get_int(element e, const std::string& path, int& out, int lo, int hi) {
    std::int64_t v = 0;
    if (e.get(v) != simdjson::SUCCESS) return fail(path, "must be an integer");
    if (v < lo || v > hi) return fail(path, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    out = static_cast<int>(v);
    return true;
  }
  bool get_bool(element e, const std::string& path, bool& out) {
    if (e.get(out) != simdjson::SUCCESS) return fail(path, "must be true or false");
    return true;
  }
  /// Field of an object; false (with an error) when absent.
  bool field(object o, std::string_view key, const std::string& path, element& out) {
    if (o[key].get(out) != simdjson::SUCCESS)
      return fail(path.empty() ? std::string(key) : path + "." + std::string(key), "missing");
    return true;
  }
  /// Field of an object; false without an error when absent.
  static bool optional_field(object o, std::string_view key, element& out) {
    return o[key].get(out) == simdjson::SUCCESS;
  }
};

} // namespace mpk::models::json
