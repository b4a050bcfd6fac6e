#include "common/http/response_parser.hpp"

namespace mpk::http {

response_parser::response_parser(limits lim)
    : reader_(detail::message_reader::role::response, lim) {}

parse_state response_parser::feed(std::string_view bytes) { return reader_.feed(bytes); }

parse_state response_parser::finish() { return reader_.finish(); }

const response& response_parser::get() const { return reader_.res(); }

response response_parser::take() {
  response out = std::move(reader_.res());
  reader_.reset();
  return out;
}

const std::string& response_parser::error() const { return reader_.error(); }

std::size_t response_parser::consumed() const { return reader_.consumed(); }

void response_parser::expect_no_body(bool head) { reader_.set_head_request(head); }

void response_parser::reset() { reader_.reset(); }

}  // namespace mpk::http
