#include "common/crypto/info_json.hpp"

#include <cstdint>

namespace mpk::crypto {

std::string compact_json(std::string_view raw_json) {
  std::string out;
  out.reserve(raw_json.size());
  bool in_string = false;
  for (std::size_t i = 0; i < raw_json.size(); ++i) {
    char c = raw_json[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < raw_json.size())
        out += raw_json[++i]; // escaped character, never a string end
      else if (c == '"')
        in_string = false;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      continue; // insignificant JSON whitespace
    } else {
      out += c;
      if (c == '"') in_string = true;
    }
  }
  return out;
}

namespace {

constexpr int max_depth = 256;

/// A strict JSON reader that writes the canonical form while it validates.
/// Every access checks the position against the end: malformed input gives false, never UB.
class canonicaliser {
public:
  explicit canonicaliser(std::string_view in) : in_(in) {}

  bool run(std::string& out) {
    out_ = &out;
    skip_ws();
    if (!value(0)) return false;
    skip_ws();
    return pos_ == in_.size();
  }

private:
  bool at_end() const { return pos_ >= in_.size(); }
  char peek() const { return at_end() ? '\0' : in_[pos_]; }

  void skip_ws() {
    while (!at_end() && (in_[pos_] == ' ' || in_[pos_] == '\t' || in_[pos_] == '\n' || in_[pos_] == '\r')) ++pos_;
  }

  bool value(int depth) {
    if (depth > max_depth) return false;
    switch (peek()) {
      case '{': return object(depth + 1);
      case '[': return array(depth + 1);
      case '"': return string();
      case 't': return literal("true");
      case 'f': return literal("false");
      case 'n': return literal("null");
      default: return number();
    }
  }

  bool object(int depth) {
    ++pos_; // '{'
    *out_ += '{';
    skip_ws();
    if (peek() == '}') {
      ++pos_;
      *out_ += '}';
      return true;
    }
    for (;;) {
      skip_ws();
      if (peek() != '"' || !string()) return false;
      skip_ws();
      if (peek() != ':') return false;
      ++pos_;
      *out_ += ':';
      skip_ws();
      if (!value(depth)) return false;
      skip_ws();
      char c = peek();
      if (c == '}') {
        ++pos_;
        *out_ += '}';
        return true;
      }
      if (c != ',') return false;
      ++pos_;
      *out_ += ',';
    }
  }

  bool array(int depth) {
    ++pos_; // '['
    *out_ += '[';
    skip_ws();
    if (peek() == ']') {
      ++pos_;
      *out_ += ']';
      return true;
    }
    for (;;) {
      skip_ws();
      if (!value(depth)) return false;
      skip_ws();
      char c = peek();
      if (c == ']') {
        ++pos_;
        *out_ += ']';
        return true;
      }
      if (c != ',') return false;
      ++pos_;
      *out_ += ',';
    }
  }

  bool literal(std::string_view word) {
    if (in_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    *out_ += word;
    return true;
  }

  bool digits() {
    std::size_t start = pos_;
    while (!at_end() && in_[pos_] >= '0' && in_[pos_] <= '9') ++pos_;
    return pos_ > start;
  }

  /// JSON number grammar, copied as written (the sender's spelling is what it hashed).
  bool number() {
    std::size_t start = pos_;
    if (peek() == '-') ++pos_;
    if (peek() == '0')
      ++pos_;
    else if (!digits())
      return false;
    if (peek() == '.') {
      ++pos_;
      if (!digits()) return false;
    }
    if (peek() == 'e' || peek() == 'E') {
      ++pos_;
      if (peek() == '+' || peek() == '-') ++pos_;
      if (!digits()) return false;
    }
    *out_ += in_.substr(start, pos_ - start);
    return true;
  }

  /// Four hex digits at pos_; -1 if not there.
  long hex4() {
    if (in_.size() - pos_ < 4) return -1;
    long v = 0;
    for (int k = 0; k < 4; ++k) {
      char c = in_[pos_ + k];
      int d;
      if (c >= '0' && c <= '9')
        d = c - '0';
      else if (c >= 'a' && c <= 'f')
        d = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        d = c - 'A' + 10;
      else
        return -1;
      v = v * 16 + d;
    }
    pos_ += 4;
    return v;
  }

  void put_utf8(std::uint32_t cp) {
    std::string& o = *out_;
    if (cp < 0x80) {
      put_char(static_cast<char>(cp));
    } else if (cp < 0x800) {
      o += static_cast<char>(0xc0 | (cp >> 6));
      o += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      o += static_cast<char>(0xe0 | (cp >> 12));
      o += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      o += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
      o += static_cast<char>(0xf0 | (cp >> 18));
      o += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
      o += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      o += static_cast<char>(0x80 | (cp & 0x3f));
    }
  }

  /// One decoded character, escaped the JSON.stringify way.
  void put_char(char c) {
    static constexpr char hexd[] = "0123456789abcdef";
    std::string& o = *out_;
    switch (c) {
      case '"': o += "\\\""; return;
      case '\\': o += "\\\\"; return;
      case '\b': o += "\\b"; return;
      case '\f': o += "\\f"; return;
      case '\n': o += "\\n"; return;
      case '\r': o += "\\r"; return;
      case '\t': o += "\\t"; return;
      default: break;
    }
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20) {
      o += "\\u00";
      o += hexd[u >> 4];
      o += hexd[u & 0x0f];
    } else {
      o += c;
    }
  }

  /// A lone surrogate cannot be UTF-8: keep it escaped, as well-formed JSON.stringify does.
  void put_lone_surrogate(long v) {
    static constexpr char hexd[] = "0123456789abcdef";
    *out_ += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) *out_ += hexd[(v >> shift) & 0x0f];
  }

  bool string() {
    ++pos_; // opening quote
    *out_ += '"';
    for (;;) {
      if (at_end()) return false;
      char c = in_[pos_++];
      if (c == '"') {
        *out_ += '"';
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20) return false; // raw control characters are not allowed in JSON strings
      if (c != '\\') {
        *out_ += c; // UTF-8 bytes pass through literally
        continue;
      }
      if (at_end()) return false;
      char e = in_[pos_++];
      switch (e) {
        case '"': put_char('"'); break;
        case '\\': put_char('\\'); break;
        case '/': put_char('/'); break;
        case 'b': put_char('\b'); break;
        case 'f': put_char('\f'); break;
        case 'n': put_char('\n'); break;
        case 'r': put_char('\r'); break;
        case 't': put_char('\t'); break;
        case 'u': {
          long v = hex4();
          if (v < 0) return false;
          if (v >= 0xd800 && v <= 0xdbff) {
            // High surrogate: combine with a following \uDC00..\uDFFF if there is one.
            if (in_.substr(pos_, 2) == "\\u") {
              std::size_t save = pos_;
              pos_ += 2;
              long lo = hex4();
              if (lo >= 0xdc00 && lo <= 0xdfff) {
                put_utf8(0x10000 + ((static_cast<std::uint32_t>(v) - 0xd800) << 10) +
                         (static_cast<std::uint32_t>(lo) - 0xdc00));
                break;
              }
              pos_ = save; // not a pair: the next escape is handled on its own
            }
            put_lone_surrogate(v);
          } else if (v >= 0xdc00 && v <= 0xdfff) {
            put_lone_surrogate(v);
          } else {
            put_utf8(static_cast<std::uint32_t>(v));
          }
          break;
        }
        default: return false;
      }
    }
  }

  std::string_view in_;
  std::size_t pos_ = 0;
  std::string* out_ = nullptr;
};

} // namespace

std::optional<std::string> canonical_json(std::string_view raw_json) {
  std::string out;
  out.reserve(raw_json.size());
  canonicaliser c(raw_json);
  if (!c.run(out)) return std::nullopt;
  return out;
}

} // namespace mpk::crypto
