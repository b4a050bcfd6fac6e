// The HTTP/1.1 parsers over Boost.Beast's http::parser, fed from plain buffers (put()/put_eof(),
// no stream). Beast frames the message (Content-Length, chunked, until close), checks the start
// line, the field syntax and both limits; what this file adds is what Beast 1.74 leaves to the
// caller or accepts where we refuse (see docs/simulator.md "HTTP on plain buffers").

#include "common/http/parser.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/rfc7230.hpp>
#include <boost/beast/http/string_body.hpp>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <optional>
#include <type_traits>

namespace mpk::http::detail {

namespace beast_http = boost::beast::http;

template <bool IsRequest>
class beast_reader {
public:
  using message = std::conditional_t<IsRequest, request, response>;

  explicit beast_reader(limits lim) : limits_(lim) { reset(); }

  void reset() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(limits_.max_header_bytes, UINT32_MAX)));
    parser_->body_limit(limits_.max_body_bytes);
    parser_->skip(head_request_);
    // Not eager until the header is checked (check_header), so a refused header stops the body.
    parser_->eager(false);
    header_checked_ = false;
    header_fields_ = 0;
    pending_.clear();
    header_bytes_ = 0;
    state_ = parse_state::need_more;
    consumed_ = 0;
    error_.clear();
    out_ = message{};
    // head_request_ belongs to the exchange, not the bytes: the caller sets it per request.
  }

  parse_state feed(std::string_view in) {
    consumed_ = 0;
    if (state_ != parse_state::need_more) return state_;
    // Beast takes only whole header sections and whole chunk lines: what it left last time comes
    // first, with the new bytes behind it.
    const bool buffered = !pending_.empty();
    if (buffered) pending_.append(in);
    std::string_view data = buffered ? std::string_view(pending_) : in;
    std::size_t used = put(data);
    if (state_ == parse_state::complete) {
      // Everything before this call belonged to the message, so the rest is this call's bytes.
      consumed_ = in.size() - (data.size() - used);
      pending_.clear();
      return state_;
    }
    consumed_ = in.size();
    if (state_ == parse_state::error) return state_;
    if (buffered)
      pending_.erase(0, used);
    else
      pending_.assign(data.substr(used));
    if (!header_checked_) check_partial_header(in.size());
    // Beast 1.74 bounds neither a chunk line nor the trailers: both wait here, held to the
    // header limit.
    else if (pending_.size() > limits_.max_header_bytes)
      fail("chunk line or trailer section too large");
    return state_;
  }

  parse_state finish() {
    consumed_ = 0;
    if (state_ != parse_state::need_more) return state_;
    if (!parser_->got_some()) {
      fail(pending_.empty() && header_bytes_ == 0 ? "connection closed before a response"
                                                  : "connection closed before the end of the message");
      return state_;
    }
    boost::beast::error_code ec;
    parser_->put_eof(ec);
    if (ec || !parser_->is_done())
      fail("connection closed before the end of the message");
    else
      complete();
    return state_;
  }

  void set_head_request(bool head) {
    head_request_ = head;
    parser_->skip(head); // Beast reads it when the header ends
  }

  const message& get() const { return out_; }
  message take() {
    message out = std::move(out_);
    reset();
    return out;
  }
  const std::string& error() const { return error_; }
  std::size_t consumed() const { return consumed_; }

private:
  /// Hands `data` to Beast until it needs more, fails or completes the message; the bytes it took.
  std::size_t put(std::string_view data) {
    std::size_t at = skip_blank_lines(data);
    // A lone CR may start another empty line: it waits for the next bytes.
    if (IsRequest && !parser_->got_some() && data.size() - at == 1 && data[at] == '\r') return at;
    while (state_ == parse_state::need_more && at < data.size()) {
      // A last chunk that Beast 1.74 saw as "0\r\n" and asked more for must come back with at
      // least 5 bytes, or an assertion fires (boostorg/beast#2861, fixed upstream in 2024; a release build
      // goes on correctly). So "0\r\n" and one more byte wait for the next: the shortest last
      // chunk, "0\r\n\r\n", is 5 bytes, and any other chunk line is handed on at once.
      if (header_checked_ && parser_->chunked() && awaits_last_chunk_end(data.substr(at))) break;
      boost::beast::error_code ec;
      auto n = parser_->put(boost::asio::buffer(data.data() + at, data.size() - at), ec);
      at += n;
      if (!header_checked_) header_bytes_ += n;
      if (ec == beast_http::error::need_more) break;
      if (ec) {
        fail(ec.message());
        break;
      }
      if (!header_checked_ && parser_->is_header_done()) {
        if (!check_header()) break;
        header_checked_ = true;
        parser_->eager(true);
      }
      if (parser_->is_done())
        complete();
      else if (n == 0)
        break;
    }
    return at;
  }

  static bool awaits_last_chunk_end(std::string_view rest) { return rest.size() < 5 && rest.substr(0, 3) == "0\r\n"; }

  /// RFC 9112 §2.2: a server ignores empty lines before a request line (a client's extra CRLF
  /// after a body). They count against the header limit; a response has no such allowance.
  std::size_t skip_blank_lines(std::string_view data) {
    if (!IsRequest || parser_->got_some()) return 0;
    std::size_t at = 0;
    while (data.size() - at >= 2 && data[at] == '\r' && data[at + 1] == '\n') at += 2;
    header_bytes_ += at;
    if (header_bytes_ > limits_.max_header_bytes) fail(header_limit_text());
    return at;
  }

  /// The header section is still incomplete: what Beast only finds once it is complete (or
  /// never, fed in pieces) is refused now. `fresh` = the bytes that just arrived, at the end.
  void check_partial_header(std::size_t fresh) {
    // Beast's header limit is per part (start line, fields): the whole section is held to it here.
    if (header_bytes_ + pending_.size() > limits_.max_header_bytes) {
      fail(header_limit_text());
      return;
    }
    // A bare LF ends no line for Beast, which then waits for a CRLF CRLF that may never come.
    std::size_t from = pending_.size() > fresh ? pending_.size() - fresh : 0;
    for (std::size_t i = from; i < pending_.size(); ++i)
      if (pending_[i] == '\n' && (i == 0 || pending_[i - 1] != '\r')) {
        fail(beast_http::make_error_code(beast_http::error::bad_line_ending).message());
        return;
      }
  }

  static std::string header_limit_text() {
    return beast_http::make_error_code(beast_http::error::header_limit).message();
  }

  /// What Beast 1.74 lets through and this product refuses, decided once the header is read.
  bool check_header() {
    const auto& m = parser_->get();
    if (header_bytes_ > limits_.max_header_bytes) {
      fail(header_limit_text());
      return false;
    }
    if constexpr (!IsRequest) {
      if (m.result_int() < 100 || m.result_int() > 599) {
        fail("bad status code");
        return false;
      }
    }
    // Only "chunked" alone: another coding leaves a body we cannot decode, and Beast would take
    // a request's "gzip, chunked" as chunked or read a response's "gzip" until close.
    auto te = m.equal_range(beast_http::field::transfer_encoding);
    if (te.first != te.second) {
      beast_http::token_list codings{te.first->value()};
      auto it = codings.begin();
      bool chunked_alone = it != codings.end() && boost::beast::iequals(*it, "chunked") && ++it == codings.end() &&
                           std::next(te.first) == te.second;
      if (!chunked_alone) {
        fail("unsupported Transfer-Encoding");
        return false;
      }
    }
    // Beast adds chunked trailers to the same fields; they are checked, then left out.
    header_fields_ = static_cast<std::size_t>(std::distance(m.begin(), m.end()));
    return true;
  }

  void complete() {
    auto& m = parser_->get();
    if constexpr (IsRequest) {
      out_.method.assign(m.method_string().data(), m.method_string().size());
      out_.target.assign(m.target().data(), m.target().size());
    } else {
      out_.status = static_cast<int>(m.result_int());
      out_.reason.assign(m.reason().data(), m.reason().size());
    }
    out_.version = m.version() == 10 ? "HTTP/1.0" : "HTTP/1.1";
    out_.headers.items.reserve(header_fields_);
    std::size_t n = 0;
    for (auto it = m.begin(); it != m.end() && n < header_fields_; ++it, ++n)
      out_.headers.items.emplace_back(std::string(it->name_string()), std::string(it->value()));
    out_.body = std::move(m.body());
    state_ = parse_state::complete;
  }

  void fail(std::string text) {
    state_ = parse_state::error;
    error_ = std::move(text);
    pending_.clear();
  }

  limits limits_;
  bool head_request_ = false;
  /// Beast's parser is not reusable: a new one per message.
  std::optional<beast_http::parser<IsRequest, beast_http::string_body>> parser_;
  bool header_checked_ = false;
  std::size_t header_fields_ = 0;
  std::string pending_;          ///< bytes Beast has not taken yet (part of a header or chunk line)
  std::size_t header_bytes_ = 0; ///< header bytes Beast took (and empty lines skipped before)
  parse_state state_ = parse_state::need_more;
  std::size_t consumed_ = 0;
  std::string error_;
  message out_;
};

} // namespace mpk::http::detail

namespace mpk::http {

namespace detail {

template <bool IsRequest>
message_parser<IsRequest>::message_parser(limits lim) : reader_(std::make_unique<beast_reader<IsRequest>>(lim)) {}
template <bool IsRequest>
message_parser<IsRequest>::~message_parser() = default;
template <bool IsRequest>
message_parser<IsRequest>::message_parser(message_parser&&) noexcept = default;
template <bool IsRequest>
message_parser<IsRequest>& message_parser<IsRequest>::operator=(message_parser&&) noexcept = default;

template <bool IsRequest>
parse_state message_parser<IsRequest>::feed(std::string_view bytes) {
  return reader_->feed(bytes);
}
template <bool IsRequest>
auto message_parser<IsRequest>::get() const -> const message& {
  return reader_->get();
}
template <bool IsRequest>
auto message_parser<IsRequest>::take() -> message {
  return reader_->take();
}
template <bool IsRequest>
const std::string& message_parser<IsRequest>::error() const {
  return reader_->error();
}
template <bool IsRequest>
std::size_t message_parser<IsRequest>::consumed() const {
  return reader_->consumed();
}
template <bool IsRequest>
void message_parser<IsRequest>::reset() {
  reader_->reset();
}

template class message_parser<true>;
template class message_parser<false>;

} // namespace detail

parse_state response_parser::finish() { return reader_->finish(); }
void response_parser::expect_no_body(bool head) { reader_->set_head_request(head); }

} // namespace mpk::http
