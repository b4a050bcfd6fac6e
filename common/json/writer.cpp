#include "common/json/writer.hpp"

#include <charconv>
#include <cmath>

namespace mpk::json {

void append_escaped(std::string& out, std::string_view s) {
  static constexpr char hexd[] = "0123456789abcdef";
  std::size_t run = 0; // start of the pending run of bytes that need no escaping
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += hexd[c >> 4];
        out += hexd[c & 0x0f];
    }
  }
  out.append(s.data() + run, s.size() - run);
}

void json_writer::before_value() {
  if (after_key_)
    after_key_ = false;
  else if (need_comma_)
    out_ += ',';
  need_comma_ = true;
}

json_writer& json_writer::begin_object() {
  before_value();
  out_ += '{';
  need_comma_ = false;
  return *this;
}

json_writer& json_writer::end_object() {
  out_ += '}';
  need_comma_ = true;
  after_key_ = false;
  return *this;
}

json_writer& json_writer::begin_array() {
  before_value();
  out_ += '[';
  need_comma_ = false;
  return *this;
}

json_writer& json_writer::end_array() {
  out_ += ']';
  need_comma_ = true;
  after_key_ = false;
  return *this;
}

json_writer& json_writer::key(std::string_view k) {
  if (need_comma_) out_ += ',';
  out_ += '"';
  append_escaped(out_, k);
  out_ += "\":";
  need_comma_ = false;
  after_key_ = true;
  return *this;
}

json_writer& json_writer::value(std::string_view s) {
  before_value();
  out_ += '"';
  append_escaped(out_, s);
  out_ += '"';
  return *this;
}

json_writer& json_writer::value(const char* s) {
  if (s == nullptr) return null();
  return value(std::string_view(s));
}

json_writer& json_writer::value(bool b) {
  before_value();
  out_ += b ? "true" : "false";
  return *this;
}

json_writer& json_writer::value(std::int64_t n) {
  before_value();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, n);
  out_.append(buf, r.ptr);
  return *this;
}

json_writer& json_writer::value(std::uint64_t n) {
  before_value();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, n);
  out_.append(buf, r.ptr);
  return *this;
}

json_writer& json_writer::value(int n) { return value(static_cast<std::int64_t>(n)); }

json_writer& json_writer::value(double d) {
  if (!std::isfinite(d)) return null(); // JSON has no NaN/Infinity; JSON.stringify writes null too
  before_value();
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  out_.append(buf, r.ptr);
  return *this;
}

json_writer& json_writer::null() {
  before_value();
  out_ += "null";
  return *this;
}

json_writer& json_writer::raw(std::string_view json) {
  before_value();
  out_ += json;
  return *this;
}

std::string json_writer::take() {
  std::string s = std::move(out_);
  clear();
  return s;
}

void json_writer::clear() {
  out_.clear();
  need_comma_ = false;
  after_key_ = false;
}

} // namespace mpk::json
