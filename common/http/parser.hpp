#pragma once
/// Incremental HTTP/1.1 parsers on plain bytes: the phone side of the sysclient tunnel reads
/// requests, the Devices side reads the phone's responses. Boost.Beast's parser does the reading
/// (parser.cpp, the only file that sees it); this header keeps Beast out of every includer.

#include "common/http/message.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

namespace mpk::http {

namespace detail {

template <bool IsRequest>
class beast_reader;

/// What both parsers do: feed bytes as they arrive until one whole message is read.
/// Pipelining / keep-alive: feed() stops at the end of the message; consumed() says how many bytes
/// of that call were used, so the caller take()s the message and feeds the rest again.
template <bool IsRequest>
class message_parser {
public:
  using message = std::conditional_t<IsRequest, request, response>;

  explicit message_parser(limits lim);
  ~message_parser();
  message_parser(message_parser&&) noexcept;
  message_parser& operator=(message_parser&&) noexcept;

  /// Consumes bytes; after complete or error it consumes nothing until take()/reset().
  parse_state feed(std::string_view bytes);
  /// The message, once it is complete (empty before).
  const message& get() const;
  /// Moves the message out and resets the parser for the next one.
  message take();
  /// Why parsing failed (empty unless the state is error).
  const std::string& error() const;
  /// Bytes of the last feed() call that belong to the current message.
  std::size_t consumed() const;
  /// Forgets the bytes read so far.
  void reset();

protected:
  std::unique_ptr<beast_reader<IsRequest>> reader_;
};

extern template class message_parser<true>;
extern template class message_parser<false>;

} // namespace detail

/// Reads requests (the phone's side of the tunnel).
class request_parser : public detail::message_parser<true> {
public:
  explicit request_parser(limits lim = {}) : message_parser(lim) {}
};

/// Reads responses. 1xx, 204 and 304 responses (and any response to HEAD, see expect_no_body())
/// have no body; take() and reset() keep expect_no_body.
class response_parser : public detail::message_parser<false> {
public:
  explicit response_parser(limits lim = {}) : message_parser(lim) {}

  /// The peer closed: completes a response delimited by connection close (no length, not
  /// chunked); error otherwise.
  parse_state finish();
  /// The request was HEAD: the response ends after its header whatever its length says.
  void expect_no_body(bool head = true);
};

} // namespace mpk::http
