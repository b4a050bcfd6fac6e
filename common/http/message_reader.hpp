#pragma once
/// The incremental engine behind request_parser and response_parser: start line, header fields,
/// then a body delimited by Content-Length, chunked coding or (responses only) connection close.

#include "common/http/message.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace mpk::http::detail {

class message_reader {
public:
  enum class role { request, response };

  message_reader(role r, limits lim);

  /// Consumes bytes up to the end of the current message; see consumed().
  parse_state feed(std::string_view bytes);
  /// The peer closed the connection.
  parse_state finish();
  /// Bytes of the last feed() that belong to the current message (the rest is the next one).
  std::size_t consumed() const { return consumed_; }
  const std::string& error() const { return error_; }
  void reset();
  /// Response role: the request was HEAD, so the response has no body whatever its header says.
  void set_head_request(bool head) { head_request_ = head; }

  const request& req() const { return req_; }
  const response& res() const { return res_; }
  request& req() { return req_; }
  response& res() { return res_; }

private:
  enum class phase {
    start_line,
    headers,
    body_length,
    chunk_size,
    chunk_data,
    chunk_data_end,
    trailers,
    until_close,
    complete,
    failed,
  };
  enum class line_result { ready, need_more, failed };

  line_result read_line(std::string_view in, std::size_t& pos, std::size_t budget,
                        const char* too_long);
  void on_line();
  void on_start_line();
  void on_header_line();
  void on_headers_done();
  void on_chunk_size_line();
  void read_body(std::string_view in, std::size_t& pos);
  void fail(std::string text);
  parse_state state() const;
  header_list& headers() { return role_ == role::request ? req_.headers : res_.headers; }
  std::string& body() { return role_ == role::request ? req_.body : res_.body; }

  role role_;
  limits limits_;
  bool head_request_ = false;
  phase phase_ = phase::start_line;
  std::string line_;                  ///< partial line carried across feed() calls
  std::size_t header_left_ = 0;       ///< header bytes still allowed (start line + fields)
  std::size_t trailer_left_ = 0;      ///< trailer bytes still allowed
  std::uint64_t remaining_ = 0;       ///< bytes left in the body or the current chunk
  std::uint64_t seen_ = 0;            ///< bytes fed into this message so far
  std::size_t consumed_ = 0;
  std::string error_;
  request req_;
  response res_;
};

}  // namespace mpk::http::detail
