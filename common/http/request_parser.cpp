#include "common/http/request_parser.hpp"

namespace mpk::http {

request_parser::request_parser(limits lim) : reader_(detail::message_reader::role::request, lim) {}

parse_state request_parser::feed(std::string_view bytes) { return reader_.feed(bytes); }

const request& request_parser::get() const { return reader_.req(); }

request request_parser::take() {
  request out = std::move(reader_.req());
  reader_.reset();
  return out;
}

const std::string& request_parser::error() const { return reader_.error(); }

std::size_t request_parser::consumed() const { return reader_.consumed(); }

void request_parser::reset() { reader_.reset(); }

}  // namespace mpk::http
