#include "common/models/xml_attr.hpp"

#include <algorithm>
#include <cstdint>

namespace mpk::models {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool is_name_char(char c, bool first) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':') return true;
  return !first && ((c >= '0' && c <= '9') || c == '-' || c == '.');
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

/// Decodes one entity body (between '&' and ';'); false if unknown or out of range.
bool decode_entity(std::string_view e, std::string& out) {
  if (e == "amp")
    out.push_back('&');
  else if (e == "lt")
    out.push_back('<');
  else if (e == "gt")
    out.push_back('>');
  else if (e == "quot")
    out.push_back('"');
  else if (e == "apos")
    out.push_back('\'');
  else if (e.size() >= 2 && e[0] == '#') {
    bool hex = e[1] == 'x' || e[1] == 'X';
    auto digits = e.substr(hex ? 2 : 1);
    if (digits.empty() || digits.size() > 8) return false;
    std::uint32_t cp = 0;
    for (char c : digits) {
      int d;
      if (c >= '0' && c <= '9')
        d = c - '0';
      else if (hex && c >= 'a' && c <= 'f')
        d = c - 'a' + 10;
      else if (hex && c >= 'A' && c <= 'F')
        d = c - 'A' + 10;
      else
        return false;
      cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
      if (cp > 0x10FFFF) return false;
    }
    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    append_utf8(out, cp);
  } else {
    return false;
  }
  return true;
}

} // namespace

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // Control characters cannot be written as XML 1.0 text; numeric refs keep them.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += "&#" + std::to_string(static_cast<unsigned char>(c)) + ";";
        } else {
          out.push_back(c);
        }
    }
  }
  return out;
}

const std::string* xml_tag::attr(std::string_view n) const {
  for (const auto& [k, v] : attrs)
    if (k == n) return &v;
  return nullptr;
}

std::string xml_tag_reader::where() const { return " at byte " + std::to_string(pos_); }

bool xml_tag_reader::skip_space() {
  while (pos_ < in_.size() && is_space(in_[pos_])) ++pos_;
  return pos_ < in_.size();
}

bool xml_tag_reader::read_name(std::string& out) {
  out.clear();
  if (pos_ >= in_.size() || !is_name_char(in_[pos_], true)) return false;
  while (pos_ < in_.size() && is_name_char(in_[pos_], false)) {
    if (out.size() >= max_name) return false;
    out.push_back(in_[pos_++]);
  }
  return true;
}

bool xml_tag_reader::read_value(std::string& out, std::string& err) {
  out.clear();
  if (pos_ >= in_.size() || (in_[pos_] != '"' && in_[pos_] != '\'')) {
    err = "expected a quoted attribute value" + where();
    return false;
  }
  char quote = in_[pos_++];
  while (pos_ < in_.size() && in_[pos_] != quote) {
    char c = in_[pos_];
    if (c == '<') {
      err = "'<' inside an attribute value" + where();
      return false;
    }
    if (c == '&') {
      auto semi = in_.find(';', pos_);
      if (semi == std::string_view::npos || semi - pos_ > 12 ||
          !decode_entity(in_.substr(pos_ + 1, semi - pos_ - 1), out)) {
        err = "bad entity reference" + where();
        return false;
      }
      pos_ = semi + 1;
    } else {
      out.push_back(c);
      ++pos_;
    }
    if (out.size() > max_value) {
      err = "attribute value too long" + where();
      return false;
    }
  }
  if (pos_ >= in_.size()) {
    err = "unterminated attribute value";
    return false;
  }
  ++pos_; // closing quote
  return true;
}

xml_tag_reader::result xml_tag_reader::next(xml_tag& out, std::string& err) {
  if (in_.size() > max_input) {
    err = "document too large";
    return result::error;
  }
  for (;;) {
    if (!skip_space()) return result::done;
    if (in_[pos_] != '<') {
      err = "unexpected text" + where();
      return result::error;
    }
    auto rest = in_.substr(pos_);
    if (rest.substr(0, 5) == "<?xml") {
      auto end = in_.find("?>", pos_);
      if (end == std::string_view::npos || any_tag_) {
        err = "bad XML declaration" + where();
        return result::error;
      }
      pos_ = end + 2;
      continue;
    }
    if (rest.substr(0, 4) == "<!--") {
      auto end = in_.find("-->", pos_ + 4);
      if (end == std::string_view::npos) {
        err = "unterminated comment";
        return result::error;
      }
      pos_ = end + 3;
      continue;
    }
    break;
  }
  ++pos_; // '<'
  any_tag_ = true;
  out = xml_tag{};
  if (pos_ < in_.size() && in_[pos_] == '/') {
    ++pos_;
    out.kind = xml_tag::type::end;
    if (!read_name(out.name)) {
      err = "bad end tag name" + where();
      return result::error;
    }
    skip_space();
    if (pos_ >= in_.size() || in_[pos_] != '>') {
      err = "expected '>'" + where();
      return result::error;
    }
    ++pos_;
    return result::tag;
  }
  if (!read_name(out.name)) {
    err = "bad tag name" + where();
    return result::error;
  }
  for (;;) {
    bool spaced = pos_ < in_.size() && is_space(in_[pos_]);
    if (!skip_space()) {
      err = "unterminated tag <" + out.name + ">";
      return result::error;
    }
    char c = in_[pos_];
    if (c == '>') {
      ++pos_;
      out.kind = xml_tag::type::start;
      return result::tag;
    }
    if (c == '/') {
      if (pos_ + 1 >= in_.size() || in_[pos_ + 1] != '>') {
        err = "expected '/>'" + where();
        return result::error;
      }
      pos_ += 2;
      out.kind = xml_tag::type::empty;
      return result::tag;
    }
    if (!spaced) {
      err = "expected a space before an attribute" + where();
      return result::error;
    }
    std::string name, value;
    if (!read_name(name)) {
      err = "bad attribute name" + where();
      return result::error;
    }
    skip_space();
    if (pos_ >= in_.size() || in_[pos_] != '=') {
      err = "expected '=' after " + name + where();
      return result::error;
    }
    ++pos_;
    skip_space();
    if (!read_value(value, err)) return result::error;
    if (out.attr(name)) {
      err = "duplicate attribute " + name + where();
      return result::error;
    }
    if (out.attrs.size() >= max_attrs) {
      err = "too many attributes" + where();
      return result::error;
    }
    out.attrs.emplace_back(std::move(name), std::move(value));
  }
}

bool read_flat_list(std::string_view xml, const std::string& root_name, const std::string& item, std::size_t max,
                    std::string_view items_name, const std::function<std::string(const xml_tag&)>& each,
                    std::string& err) {
  xml_tag_reader rd(xml);
  xml_tag tag;
  std::string e;
  auto fail = [&](std::string msg) {
    err = std::move(msg);
    return false;
  };
  auto r = rd.next(tag, e);
  if (r == xml_tag_reader::result::error) return fail(e);
  if (r == xml_tag_reader::result::done) return fail("empty document");
  if ((!root_name.empty() && tag.name != root_name) || tag.kind == xml_tag::type::end)
    return fail("expected <" + (root_name.empty() ? std::string("…") : root_name) + ">, got <" + tag.name + ">");
  const std::string root = tag.name;
  bool closed = tag.kind == xml_tag::type::empty;
  std::size_t n = 0;
  while (!closed) {
    r = rd.next(tag, e);
    if (r == xml_tag_reader::result::error) return fail(e);
    if (r == xml_tag_reader::result::done) return fail("missing </" + root + ">");
    if (tag.kind == xml_tag::type::end) {
      if (tag.name != root) return fail("unexpected </" + tag.name + ">");
      closed = true;
      break;
    }
    if (tag.name != item) return fail("unexpected <" + tag.name + "> inside <" + root + ">");
    if (tag.kind == xml_tag::type::start) {
      // <item ...></item> as well as <item .../>.
      xml_tag end;
      r = rd.next(end, e);
      if (r == xml_tag_reader::result::error) return fail(e);
      if (r != xml_tag_reader::result::tag || end.kind != xml_tag::type::end || end.name != item)
        return fail("<" + item + "> must be empty");
    }
    if (++n > max) return fail("more than " + std::to_string(max) + " " + std::string(items_name));
    auto why = each(tag);
    if (!why.empty()) return fail(why);
  }
  r = rd.next(tag, e);
  if (r == xml_tag_reader::result::error) return fail(e);
  if (r != xml_tag_reader::result::done) return fail("content after </" + root + ">");
  return true;
}

std::string attr_or_empty(const xml_tag& t, const std::string& name) {
  if (name.empty()) return {};
  auto* v = t.attr(name);
  return v ? *v : std::string{};
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i <= s.size()) {
    auto j = s.find(',', i);
    if (j == std::string::npos) j = s.size();
    auto item = s.substr(i, j - i);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) out.push_back(item);
    i = j + 1;
  }
  return out;
}

bool listed(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

} // namespace mpk::models
