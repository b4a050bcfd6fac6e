#pragma once
/// Incremental HTTP/1.1 response parser (the Devices side of the sysclient tunnel, and the
/// phone-session's passthrough responses).

#include "common/http/message.hpp"
#include "common/http/message_reader.hpp"

#include <string>
#include <string_view>

namespace mpk::http {

/// Feed bytes as they arrive; complete once one whole response is read.
/// 1xx, 204 and 304 responses (and any response to HEAD, see expect_no_body()) have no body.
class response_parser {
public:
  explicit response_parser(limits lim = {});

  /// Consumes bytes; after complete or error it consumes nothing until take()/reset().
  parse_state feed(std::string_view bytes);
  /// The peer closed: completes a response delimited by connection close (no length, not
  /// chunked); error otherwise.
  parse_state finish();
  /// The response read so far (complete once feed()/finish() said so).
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
  detail::message_reader reader_;
};

}  // namespace mpk::http
