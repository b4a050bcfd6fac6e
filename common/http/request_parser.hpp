#pragma once
/// Incremental HTTP/1.1 request parser (the phone side of the sysclient tunnel).

#include "common/http/message.hpp"
#include "common/http/message_reader.hpp"

#include <string>
#include <string_view>

namespace mpk::http {

/// Feed bytes as they arrive; complete once one whole request is read.
/// Pipelining: feed() stops at the end of the request; consumed() says how many bytes of that
/// call were used, so the caller take()s the request and feeds the rest again.
class request_parser {
public:
  explicit request_parser(limits lim = {});

  /// Consumes bytes; after complete or error it consumes nothing until take()/reset().
  parse_state feed(std::string_view bytes);
  /// The request read so far (complete once feed() said so).
  const request& get() const;
  /// Moves the request out and resets the parser for the next request.
  request take();
  /// Why parsing failed (empty unless feed() returned error).
  const std::string& error() const;
  /// Bytes of the last feed() call that belong to the current request.
  std::size_t consumed() const;
  void reset();

private:
  detail::message_reader reader_;
};

}  // namespace mpk::http
