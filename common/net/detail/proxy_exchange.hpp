#pragma once
// Internal: the server's side of a proxy_relay (http_proxy.cpp), and the helpers the server and
// the relay share.

#include "common/net/detail/asio.hpp"
#include "common/net/http_proxy.hpp"

#include <functional>
#include <memory>

namespace mpk::net::detail {

/// One proxied request on a server connection. The server owns the stream and the read buffer;
/// the exchange borrows them until `done(keep_alive)`, after which the server reads the next
/// request (keep_alive) or closes.
class server_proxy_relay : public proxy_relay {
public:
  /// The request header as it arrived.
  virtual const http::request<http::buffer_body>& request() const = 0;
  /// The parser holding that header, for a server that serves the request itself after all
  /// (only before forward() or reply()).
  virtual http::request_parser<http::buffer_body>& parser() = 0;
};

template <class Stream>
std::shared_ptr<server_proxy_relay> make_proxy_exchange(io_runtime& rt, std::shared_ptr<void> owner, Stream& client,
                                                        beast::flat_buffer& buffer,
                                                        http::request_parser<http::empty_body>&& head,
                                                        std::function<void(bool keep_alive)> done);

extern template std::shared_ptr<server_proxy_relay> make_proxy_exchange<beast::tcp_stream>(
  io_runtime&, std::shared_ptr<void>, beast::tcp_stream&, beast::flat_buffer&, http::request_parser<http::empty_body>&&,
  std::function<void(bool)>);
extern template std::shared_ptr<server_proxy_relay> make_proxy_exchange<beast::ssl_stream<beast::tcp_stream>>(
  io_runtime&, std::shared_ptr<void>, beast::ssl_stream<beast::tcp_stream>&, beast::flat_buffer&,
  http::request_parser<http::empty_body>&&, std::function<void(bool)>);

/// Adds a reply's fields: Content-Type replaces the one set before, every other name is added
/// (Set-Cookie, for one, may come several times).
template <class Message>
void add_fields(Message& m, const header_fields& fields) {
  for (auto& [name, value] : fields) {
    if (beast::iequals(name, "Content-Type"))
      m.set(http::field::content_type, value);
    else
      m.insert(name, value);
  }
}

} // namespace mpk::net::detail
