#include "common/net/client.hpp"

#include "common/net/detail/asio.hpp"
#include "common/net/detail/peer_check.hpp"
#include "common/net/detail/ws_session.hpp"
#include "common/net/url.hpp"

#include <openssl/ssl.h>

namespace mpk::net {

namespace {

using plain_ws = websocket::stream<beast::tcp_stream>;
using tls_ws = websocket::stream<beast::ssl_stream<beast::tcp_stream>>;

/// Resolve → TCP connect → (TLS handshake) → websocket handshake, then hands the stream to a ws_session.
template <class WsStream>
class connector : public std::enable_shared_from_this<connector<WsStream>> {
public:
  connector(asio::io_context& ioc, WsStream ws, url_parts url, client_options opts, handler_ptr handler)
      : resolver_(asio::make_strand(ioc)),
        ws_(std::move(ws)),
        url_(std::move(url)),
        opts_(std::move(opts)),
        handler_(std::move(handler)) {}

  void run() {
    resolver_.async_resolve(url_.host, url_.port,
                            beast::bind_front_handler(&connector::on_resolve, this->shared_from_this()));
  }

private:
  void fail(const std::string& what, const error_code& ec) { handler_->on_close(what + ": " + detail::describe(ec)); }

  void on_resolve(error_code ec, tcp::resolver::results_type results) {
    if (ec) return fail("cannot resolve " + url_.host, ec);
    beast::get_lowest_layer(ws_).expires_after(opts_.connect_timeout);
    beast::get_lowest_layer(ws_).async_connect(
      results, beast::bind_front_handler(&connector::on_connect, this->shared_from_this()));
  }

  void on_connect(error_code ec, tcp::resolver::results_type::endpoint_type ep) {
    if (ec) return fail("cannot connect to " + url_.host + ":" + url_.port, ec);
    remote_ = ep.address().to_string() + ":" + std::to_string(ep.port());
    error_code ignored;
    beast::get_lowest_layer(ws_).socket().set_option(tcp::no_delay(true), ignored); // no Nagle delay on small frames
    if constexpr (std::is_same_v<WsStream, tls_ws>) {
      auto& tls = ws_.next_layer();
      // SNI and host-name verification (both missing in Beast 1.74's own examples).
      if (!SSL_set_tlsext_host_name(tls.native_handle(), url_.host.c_str()))
        return fail("TLS setup", error_code(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category()));
      detail::check_peer(tls, url_.host, opts_.tls, cert_failure_);
      tls.async_handshake(asio::ssl::stream_base::client,
                          beast::bind_front_handler(&connector::on_tls, this->shared_from_this()));
    } else {
      on_tls({});
    }
  }

  void on_tls(error_code ec) {
    if (ec) return handler_->on_close(detail::handshake_failure("TLS handshake with " + url_.host, *cert_failure_, ec));
    beast::get_lowest_layer(ws_).expires_never();
    auto headers = opts_.headers;
    ws_.set_option(websocket::stream_base::decorator([headers](websocket::request_type& req) {
      req.set(http::field::user_agent, "myphonekeys");
      for (auto& [k, v] : headers) req.set(k, v);
    }));
    websocket::stream_base::timeout t{};
    t.handshake_timeout = opts_.limits.handshake_timeout;
    t.idle_timeout = opts_.limits.idle_timeout;
    t.keep_alive_pings = true;
    ws_.set_option(t);
    auto host = url_.host + ":" + url_.port;
    ws_.async_handshake(host, url_.target,
                        beast::bind_front_handler(&connector::on_handshake, this->shared_from_this()));
  }

  void on_handshake(error_code ec) {
    if (ec) return fail("websocket handshake with " + url_.host + url_.target, ec);
    auto session = std::make_shared<detail::ws_session<WsStream>>(std::move(ws_), std::move(handler_), opts_.limits,
                                                                  remote_, url_.target);
    session->run();
  }

  tcp::resolver resolver_;
  WsStream ws_;
  url_parts url_;
  client_options opts_;
  handler_ptr handler_;
  std::string remote_;
  std::shared_ptr<std::string> cert_failure_ = std::make_shared<std::string>(); ///< why the peer check refused
};

} // namespace

void connect(io_runtime& rt, client_options opts, handler_ptr handler) {
  auto url = parse_url(opts.url);
  if (!url || (url->scheme != "ws" && url->scheme != "wss")) {
    handler->on_close("bad websocket URL '" + opts.url + "'");
    return;
  }
  auto& ioc = detail::context_of(rt);
  if (url->tls()) {
    auto ctx = detail::client_tls_context(rt, opts.tls);
    // The context is cached by the runtime, so it outlives every stream that uses it.
    auto c = std::make_shared<connector<tls_ws>>(ioc, tls_ws(asio::make_strand(ioc), *ctx), *url, std::move(opts),
                                                 std::move(handler));
    c->run();
  } else {
    auto c = std::make_shared<connector<plain_ws>>(ioc, plain_ws(asio::make_strand(ioc)), *url, std::move(opts),
                                                   std::move(handler));
    c->run();
  }
}

} // namespace mpk::net
