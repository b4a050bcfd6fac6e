#pragma once
/// A small fast JSON writer appending to one std::string (JSON out of every service).

#include <cstdint>
#include <string>
#include <string_view>

namespace mpk::json {

/// Appends `s` as the inside of a JSON string: escapes only `"`, `\` and control characters
/// (\b \f \n \r \t, others as \u00xx); `/` and UTF-8 stay literal (the form JSON.stringify writes).
void append_escaped(std::string& out, std::string_view s);

/// Writes JSON text and places the commas itself. It trusts the caller for structure
/// (balanced begin/end, a key before each value inside objects).
class json_writer {
public:
  json_writer& begin_object();
  json_writer& end_object();
  json_writer& begin_array();
  json_writer& end_array();
  json_writer& key(std::string_view k);

  json_writer& value(std::string_view s);
  json_writer& value(const char* s); ///< nullptr writes null
  json_writer& value(bool b);
  json_writer& value(std::int64_t n);
  json_writer& value(std::uint64_t n);
  json_writer& value(int n);
  json_writer& value(double d); ///< shortest round-trip form; NaN and infinities write null
  // The remaining integer types, so that member(k, some_size) is never ambiguous.
  json_writer& value(unsigned n) { return value(static_cast<std::uint64_t>(n)); }
  json_writer& value(long long n) { return value(static_cast<std::int64_t>(n)); }
  json_writer& value(unsigned long long n) { return value(static_cast<std::uint64_t>(n)); }
  json_writer& value(const std::string& s) { return value(std::string_view(s)); }
  json_writer& null();
  /// Inserts already-valid JSON as a value (not checked).
  json_writer& raw(std::string_view json);

  template <class T>
  json_writer& member(std::string_view k, const T& v) {
    key(k);
    return value(v);
  }

  const std::string& str() const { return out_; }
  /// Moves the text out and leaves the writer empty for the next document.
  std::string take();
  void clear();
  void reserve(std::size_t n) { out_.reserve(n); }

private:
  /// Comma before a value unless it follows a key or opens a container.
  void before_value();

  std::string out_;
  bool need_comma_ = false;
  bool after_key_ = false;
};

} // namespace mpk::json
