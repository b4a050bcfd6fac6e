#pragma once
/// Incremental HTTP/1.1 parsers on plain bytes: the phone side of the sysclient tunnel reads
/// requests, the Devices side reads the phone's responses. Boost.Beast's parser does the reading
/// (parser.cpp, the only file that sees it); this header keeps Beast out of every includer.

#include "common/http/message.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace mpk::http {

namespace detail {
template <bool IsRequest>
class beast_reader;
}  // namespace detail

/// Feed bytes as they arrive; complete once one whole request is read.
/// Pipelining: feed() stops at the end of the request; consumed() says how many bytes of that
/// call were used, so the caller take()s the request and feeds the rest again.
class request_parser {
public:
  explicit request_parser(limits lim = {});
  ~request_parser();
  request_parser(request_parser&&) noexcept;
  request_parser& operator=(request_parser&&) noexcept;

  /// Consumes bytes; after complete or error it consumes nothing until take()/reset().
  parse_state feed(std::string_view bytes);
  /// The request, once feed() said complete (empty before).
  const request& get() const;
  /// Moves the request out and resets the parser for the next request.
  request take();
  /// Why parsing failed (empty unless feed() returned error).
  const std::string& error() const;
  /// Bytes of the last feed() call that belong to the current request.
  std::size_t consumed() const;
  void reset();

private:
  std::unique_ptr<detail::beast_reader<true>> reader_;
};

/// Feed bytes as they arrive; complete once one whole response is read.
/// 1xx, 204 and 304 responses (and any response to HEAD, see expect_no_body()) have no body.
class response_parser {
public:
  explicit response_parser(limits lim = {});
  ~response_parser();
  response_parser(response_parser&&) noexcept;
  response_parser& operator=(response_parser&&) noexcept;

  /// Consumes bytes; after complete or error it consumes nothing until take()/reset().
  parse_state feed(std::string_view bytes);
  /// The peer closed: completes a response delimited by connection close (no length, not
  /// chunked); error otherwise.
  parse_state finish();
  /// The response, once feed()/finish() said complete (empty before).
  const response& get() const;
  /// Moves the response out and resets the parser for the next response (keeps expect_no_body).
  response take();
  /// Why parsing failed (empty unless feed()/finish() returned error).
  const std::string& error() const;
  /// Bytes of the last feed() call that belong to the current response (e.g. after a 100).
  std::size_t consumed() const;
  /// The request was HEAD: the response ends after its header whatever its length says.
  void expect_no_body(bool head = true);
  /// Forgets the bytes read so far (keeps expect_no_body).
  void reset();

private:
  std::unique_ptr<detail::beast_reader<false>> reader_;
};

}  // namespace mpk::http
