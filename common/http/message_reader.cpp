#include "common/http/message_reader.hpp"

#include "common/http/syntax.hpp"

#include <algorithm>
#include <vector>

namespace mpk::http::detail {
namespace {

/// A chunk-size line carries at most a size and short extensions; anything longer is abuse.
constexpr std::size_t max_chunk_line = 4096;

/// Reserve at most this much for a declared Content-Length: the bytes have to arrive first.
constexpr std::size_t max_reserve = 64 * 1024;

bool status_has_no_body(int status) {
  return (status >= 100 && status < 200) || status == 204 || status == 304;
}

}  // namespace

message_reader::message_reader(role r, limits lim) : role_(r), limits_(lim) { reset(); }

void message_reader::reset() {
  phase_ = phase::start_line;
  line_.clear();
  header_left_ = limits_.max_header_bytes;
  trailer_left_ = limits_.max_header_bytes;
  remaining_ = 0;
  seen_ = 0;
  consumed_ = 0;
  error_.clear();
  req_ = request{};
  res_ = response{};
  // head_request_ belongs to the exchange, not the bytes: the caller sets it per request.
}

void message_reader::fail(std::string text) {
  phase_ = phase::failed;
  error_ = std::move(text);
  line_.clear();
}

parse_state message_reader::state() const {
  switch (phase_) {
    case phase::complete:
      return parse_state::complete;
    case phase::failed:
      return parse_state::error;
    default:
      return parse_state::need_more;
  }
}

message_reader::line_result message_reader::read_line(std::string_view in, std::size_t& pos,
                                                      std::size_t budget,
                                                      const char* too_long) {
  auto nl = in.find('\n', pos);
  auto end = nl == std::string_view::npos ? in.size() : nl + 1;
  if (line_.size() + (end - pos) > budget) {
    fail(too_long);
    return line_result::failed;
  }
  line_.append(in.data() + pos, end - pos);
  pos = end;
  if (nl == std::string_view::npos)
    return line_result::need_more;
  // line_ ends with '\n'; a bare LF is refused (request smuggling relies on such ambiguity).
  if (line_.size() < 2 || line_[line_.size() - 2] != '\r') {
    fail("line not terminated by CRLF");
    return line_result::failed;
  }
  line_.resize(line_.size() - 2);
  if (line_.find('\r') != std::string::npos) {
    fail("stray CR in line");
    return line_result::failed;
  }
  return line_result::ready;
}

parse_state message_reader::feed(std::string_view in) {
  consumed_ = 0;
  if (phase_ == phase::complete || phase_ == phase::failed)
    return state();
  std::size_t pos = 0;
  while (pos < in.size() && phase_ != phase::complete && phase_ != phase::failed) {
    auto before = pos;
    switch (phase_) {
      case phase::start_line:
      case phase::headers: {
        auto r = read_line(in, pos, header_left_, "header section too large");
        if (r == line_result::ready) {
          header_left_ -= line_.size() + 2;
          on_line();
        }
        break;
      }
      case phase::chunk_size: {
        auto r = read_line(in, pos, max_chunk_line, "chunk size line too long");
        if (r == line_result::ready)
          on_chunk_size_line();
        break;
      }
      case phase::chunk_data_end: {
        auto r = read_line(in, pos, 2, "chunk data not followed by CRLF");
        if (r == line_result::need_more && !line_.empty() && line_[0] != '\r') {
          fail("chunk data not followed by CRLF");  // no need to wait for more bytes
        } else if (r == line_result::ready) {
          if (!line_.empty())
            fail("chunk data not followed by CRLF");
          else
            phase_ = phase::chunk_size;
          line_.clear();
        }
        break;
      }
      case phase::trailers: {
        auto r = read_line(in, pos, trailer_left_, "trailer section too large");
        if (r == line_result::ready) {
          trailer_left_ -= line_.size() + 2;
          if (line_.empty()) {
            phase_ = phase::complete;
          } else if (auto f = split_field_line(line_); f.error) {
            fail(std::string("bad trailer: ") + f.error);
          }
          line_.clear();  // trailers are checked, then ignored
        }
        break;
      }
      case phase::body_length:
      case phase::chunk_data:
      case phase::until_close:
        read_body(in, pos);
        break;
      case phase::complete:
      case phase::failed:
        break;
    }
    seen_ += pos - before;
  }
  consumed_ = pos;
  return state();
}

void message_reader::read_body(std::string_view in, std::size_t& pos) {
  auto available = in.size() - pos;
  if (phase_ == phase::until_close) {
    if (body().size() + available > limits_.max_body_bytes) {
      fail("body exceeds limit");
      return;
    }
    body().append(in.data() + pos, available);
    pos = in.size();
    return;
  }
  auto n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, available));
  body().append(in.data() + pos, n);
  pos += n;
  remaining_ -= n;
  if (remaining_ == 0)
    phase_ = phase_ == phase::chunk_data ? phase::chunk_data_end : phase::complete;
}

void message_reader::on_line() {
  if (phase_ == phase::start_line)
    on_start_line();
  else
    on_header_line();
  line_.clear();
}

void message_reader::on_start_line() {
  std::string_view line = line_;
  if (line.empty()) {
    // RFC 9112 §2.2: a server ignores empty lines before the request line (a client's extra
    // CRLF after a body); a response has no such allowance.
    if (role_ == role::request)
      return;
    fail("empty status line");
    return;
  }
  auto sp1 = line.find(' ');
  if (sp1 == std::string_view::npos) {
    fail(role_ == role::request ? "bad request line" : "bad status line");
    return;
  }
  if (role_ == role::request) {
    auto sp2 = line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
      fail("bad request line");
      return;
    }
    auto method = line.substr(0, sp1);
    auto target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    auto version = parse_version(line.substr(sp2 + 1));
    if (!is_token(method)) {
      fail("bad method");
      return;
    }
    if (!is_target(target)) {
      fail("bad request target");
      return;
    }
    if (!version) {
      fail("unsupported HTTP version");
      return;
    }
    req_.method.assign(method);
    req_.target.assign(target);
    req_.version = std::move(*version);
  } else {
    auto version = parse_version(line.substr(0, sp1));
    if (!version) {
      fail("bad status line: unsupported HTTP version");
      return;
    }
    auto rest = line.substr(sp1 + 1);
    auto code = rest.substr(0, 3);
    auto status = code.size() == 3 ? parse_decimal(code, 999) : std::nullopt;
    if (!status || *status < 100 || *status > 599) {
      fail("bad status line: bad status code");
      return;
    }
    std::string_view reason;
    if (rest.size() > 3) {
      if (rest[3] != ' ') {
        fail("bad status line: bad status code");
        return;
      }
      reason = rest.substr(4);
    }
    if (!is_field_text(reason)) {
      fail("bad status line: bad reason phrase");
      return;
    }
    res_.version = std::move(*version);
    res_.status = static_cast<int>(*status);
    res_.reason.assign(reason);
  }
  phase_ = phase::headers;
}

void message_reader::on_header_line() {
  if (line_.empty()) {
    on_headers_done();
    return;
  }
  auto f = split_field_line(line_);
  if (f.error) {
    fail(f.error);
    return;
  }
  headers().items.emplace_back(std::string{f.name}, std::string{f.value});
}

void message_reader::on_headers_done() {
  std::optional<std::uint64_t> length;
  bool has_te = false;
  std::vector<std::string_view> codings;
  for (const auto& [name, value] : headers().items) {
    if (iequals(name, "Content-Length")) {
      bool conflict = false;
      auto v = parse_content_length(value, conflict);
      if (!v) {
        fail("bad Content-Length");
        return;
      }
      if (conflict || (length && *length != *v)) {
        fail("conflicting Content-Length");
        return;
      }
      length = v;
    } else if (iequals(name, "Transfer-Encoding")) {
      has_te = true;
      std::string_view list = value;
      while (true) {
        auto comma = list.find(',');
        auto item = trim_ows(list.substr(0, comma));
        if (!item.empty())
          codings.push_back(item);
        if (comma == std::string_view::npos)
          break;
        list.remove_prefix(comma + 1);
      }
    }
  }

  bool chunked = false;
  if (has_te) {
    // Both framings at once is the classic request-smuggling vector: refuse instead of guessing.
    if (length) {
      fail("both Transfer-Encoding and Content-Length");
      return;
    }
    // Only "chunked" alone: other codings would leave a body we cannot decode.
    if (codings.size() != 1 || !iequals(codings.front(), "chunked")) {
      fail("unsupported Transfer-Encoding");
      return;
    }
    chunked = true;
  }
  if (length && *length > limits_.max_body_bytes) {
    fail("body exceeds limit");
    return;
  }

  if (role_ == role::response && (head_request_ || status_has_no_body(res_.status))) {
    phase_ = phase::complete;
  } else if (chunked) {
    phase_ = phase::chunk_size;
  } else if (length) {
    remaining_ = *length;
    body().reserve(static_cast<std::size_t>(std::min<std::uint64_t>(*length, max_reserve)));
    phase_ = remaining_ == 0 ? phase::complete : phase::body_length;
  } else if (role_ == role::response) {
    phase_ = phase::until_close;
  } else {
    phase_ = phase::complete;
  }
}

void message_reader::on_chunk_size_line() {
  auto room = limits_.max_body_bytes - body().size();
  auto size = parse_chunk_size(line_, UINT64_MAX >> 4);
  line_.clear();
  if (!size) {
    fail("bad chunk size");
    return;
  }
  if (*size > room) {
    fail("body exceeds limit");
    return;
  }
  remaining_ = *size;
  phase_ = remaining_ == 0 ? phase::trailers : phase::chunk_data;
}

parse_state message_reader::finish() {
  consumed_ = 0;
  switch (phase_) {
    case phase::complete:
    case phase::failed:
      break;
    case phase::until_close:
      phase_ = phase::complete;
      break;
    default:
      if (role_ == role::response && phase_ == phase::start_line && seen_ == 0)
        fail("connection closed before a response");
      else
        fail("connection closed before the end of the message");
  }
  return state();
}

}  // namespace mpk::http::detail
