#include "common/net/server.hpp"

#include "common/base/log.hpp"
#include "common/net/detail/asio.hpp"
#include "common/net/detail/proxy_exchange.hpp"
#include "common/net/detail/ws_session.hpp"

#include <limits>

namespace mpk::net {

namespace {

constexpr auto request_timeout = std::chrono::seconds(30);

template <class Body>
http_request_info to_info(const http::request<Body>& req, const std::string& remote, bool tls) {
  http_request_info info;
  info.method = std::string(req.method_string());
  info.target = std::string(req.target());
  if constexpr (std::is_same_v<Body, http::string_body>) info.body = req.body();
  info.remote = remote;
  info.tls = tls;
  for (auto& f : req) info.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  return info;
}

std::string remote_of(const tcp::socket& s) {
  error_code ec;
  auto ep = s.remote_endpoint(ec);
  if (ec) return "?";
  return ep.address().to_string() + ":" + std::to_string(ep.port());
}

/// Reads HTTP requests on one connection: the header first, then either a proxy route takes the
/// request (its body streamed, http_proxy.hpp), a websocket upgrade moves the stream to a
/// ws_session, or the body is read whole and the request answered.
template <class Stream>
class http_session : public std::enable_shared_from_this<http_session<Stream>> {
public:
  static constexpr bool is_tls = !std::is_same_v<Stream, beast::tcp_stream>;

  http_session(io_runtime& rt, Stream stream, beast::flat_buffer buffer, std::shared_ptr<const server_routes> routes,
               const server_options& opts)
      : rt_(rt),
        stream_(std::move(stream)),
        buffer_(std::move(buffer)),
        routes_(std::move(routes)),
        opts_(opts),
        remote_(remote_of(beast::get_lowest_layer(stream_).socket())) {}

  void run() { do_read(); }

private:
  void do_read() {
    head_.emplace();
    head_->header_limit(16 * 1024);
    // Beast checks a Content-Length against the body limit as the header completes: the limit
    // of this route is applied once it is known (a proxied body has its own). Not boost::none:
    // 1.74 compares the length with the empty optional and refuses every body.
    head_->body_limit(std::numeric_limits<std::uint64_t>::max());
    beast::get_lowest_layer(stream_).expires_after(request_timeout);
    http::async_read_header(stream_, buffer_, *head_,
                            beast::bind_front_handler(&http_session::on_header, this->shared_from_this()));
  }

  /// A read error: a malformed request gets a clear 400 before the connection closes.
  void on_error(const error_code& ec) {
    if (ec == http::error::end_of_stream || detail::is_normal_end(ec) || ec == beast::error::timeout) return shutdown();
    respond_error(ec == http::error::body_limit ? 413 : 400,
                  ec == http::error::body_limit ? "request body too large" : "bad request: " + ec.message());
  }

  void on_header(error_code ec, std::size_t) {
    if (ec) return on_error(ec);
    auto& head = head_->get();
    if (routes_->proxy && !websocket::is_upgrade(head)) {
      auto self = this->shared_from_this();
      auto relay = detail::make_proxy_exchange(rt_, self, stream_, buffer_, std::move(*head_), [self](bool keep_alive) {
        if (keep_alive)
          self->do_read();
        else
          self->shutdown();
      });
      if (routes_->proxy(to_info(relay->request(), remote_, is_tls), relay)) return;
      // Not a proxied request after all: read on as usual.
      body_.emplace(std::move(relay->parser()));
    } else {
      body_.emplace(std::move(*head_));
    }
    if (body_->content_length().value_or(0) > opts_.max_request_body)
      return respond_error(413, "request body too large");
    body_->body_limit(opts_.max_request_body);
    http::async_read(stream_, buffer_, *body_,
                     beast::bind_front_handler(&http_session::on_read, this->shared_from_this()));
  }

  void on_read(error_code ec, std::size_t) {
    if (ec) return on_error(ec);
    auto req = body_->release();
    auto info = to_info(req, remote_, is_tls);
    if (websocket::is_upgrade(req)) {
      handler_ptr handler = routes_->upgrade ? routes_->upgrade(info) : nullptr;
      if (!handler) return respond_error(404, "no websocket endpoint at " + info.target);
      beast::get_lowest_layer(stream_).expires_never();
      using ws_stream = websocket::stream<Stream>;
      auto session = std::make_shared<detail::ws_session<ws_stream>>(ws_stream(std::move(stream_)), std::move(handler),
                                                                     opts_.limits, remote_, info.target);
      session->stream().set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(http::field::server, "myphonekeys"); }));
      session->accept(req);
      return;
    }
    keep_alive_ = req.keep_alive();
    head_request_ = req.method() == http::verb::head;
    auto self = this->shared_from_this();
    auto executor = stream_.get_executor();
    if (!routes_->http) return respond_error(404, "not found");
    routes_->http(info, [self, executor](http_reply reply) {
      asio::post(executor, [self, reply = std::move(reply)]() mutable { self->write(std::move(reply)); });
    });
  }

  void respond_error(int status, std::string text) {
    keep_alive_ = false;
    write(http_reply::text(status, std::move(text) + "\n"));
  }

  void write(http_reply reply) {
    auto res = std::make_shared<http::response<http::string_body>>();
    res->result(static_cast<unsigned>(reply.status));
    res->version(11);
    res->set(http::field::server, "myphonekeys");
    res->set(http::field::content_type, reply.content_type);
    detail::add_fields(*res, reply.headers);
    res->keep_alive(keep_alive_);
    res->body() = std::move(reply.body);
    res->prepare_payload();
    if (head_request_) res->body().clear();
    response_ = res;
    beast::get_lowest_layer(stream_).expires_after(request_timeout);
    http::async_write(stream_, *res, [self = this->shared_from_this(), res](error_code ec, std::size_t) {
      self->response_.reset();
      if (ec || !self->keep_alive_) return self->shutdown();
      self->do_read();
    });
  }

  void shutdown() {
    error_code ec;
    beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ec);
    beast::get_lowest_layer(stream_).close();
  }

  io_runtime& rt_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::shared_ptr<const server_routes> routes_;
  server_options opts_;
  std::string remote_;
  std::optional<http::request_parser<http::empty_body>> head_;
  std::optional<http::request_parser<http::string_body>> body_;
  std::shared_ptr<http::response<http::string_body>> response_;
  bool keep_alive_ = false, head_request_ = false;
};

/// Decides per connection between TLS and plain when a certificate is configured.
class detect_session : public std::enable_shared_from_this<detect_session> {
public:
  detect_session(io_runtime& rt, tcp::socket socket, std::shared_ptr<asio::ssl::context> tls,
                 std::shared_ptr<const server_routes> routes, const server_options& opts)
      : rt_(rt), stream_(std::move(socket)), tls_(std::move(tls)), routes_(std::move(routes)), opts_(opts) {}

  void run() {
    stream_.expires_after(request_timeout);
    beast::async_detect_ssl(stream_, buffer_,
                            beast::bind_front_handler(&detect_session::on_detect, shared_from_this()));
  }

private:
  void on_detect(error_code ec, bool is_tls) {
    if (ec) return;
    if (!is_tls) {
      std::make_shared<http_session<beast::tcp_stream>>(rt_, std::move(stream_), std::move(buffer_), routes_, opts_)
        ->run();
      return;
    }
    auto tls_stream = std::make_shared<beast::ssl_stream<beast::tcp_stream>>(std::move(stream_), *tls_);
    tls_stream->async_handshake(asio::ssl::stream_base::server, buffer_.data(),
                                [self = shared_from_this(), tls_stream](error_code ec, std::size_t used) {
                                  if (ec) return; // a failed TLS handshake is the client's problem; nothing to answer
                                  self->buffer_.consume(used);
                                  std::make_shared<http_session<beast::ssl_stream<beast::tcp_stream>>>(
                                    self->rt_, std::move(*tls_stream), std::move(self->buffer_), self->routes_,
                                    self->opts_)
                                    ->run();
                                });
  }

  io_runtime& rt_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::shared_ptr<asio::ssl::context> tls_;
  std::shared_ptr<const server_routes> routes_;
  server_options opts_;
};

class listener final : public server, public std::enable_shared_from_this<listener> {
public:
  listener(io_runtime& rt, server_options opts, server_routes routes)
      : rt_(rt),
        ioc_(detail::context_of(rt)),
        acceptor_(asio::make_strand(ioc_)),
        opts_(std::move(opts)),
        routes_(std::make_shared<const server_routes>(std::move(routes))) {}

  bool open(std::string& error) {
    error_code ec;
    auto address = asio::ip::make_address(opts_.host, ec);
    if (ec) {
      error = "bad listen address '" + opts_.host + "'";
      return false;
    }
    tcp::endpoint ep{address, opts_.port};
    acceptor_.open(ep.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(ep, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      error = "cannot listen on " + opts_.host + ":" + std::to_string(opts_.port) + ": " + ec.message();
      return false;
    }
    port_ = acceptor_.local_endpoint().port();
    if (!opts_.tls_certificate_file.empty()) {
      tls_ = load_tls(error);
      if (!tls_) return false;
    }
    return true;
  }

  bool reload_tls(std::string& error) override {
    if (opts_.tls_certificate_file.empty()) {
      error = "this port has no TLS certificate";
      return false;
    }
    auto next = load_tls(error);
    if (!next) return false;
    std::lock_guard<std::mutex> guard{tls_mutex_};
    // A stream keeps the context it was made with only by reference: the old one stays alive.
    retired_.push_back(std::move(tls_));
    tls_ = std::move(next);
    return true;
  }

  void accept() {
    acceptor_.async_accept(asio::make_strand(ioc_), [self = shared_from_this()](error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !self->acceptor_.is_open()) return;
      if (!ec) {
        error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored); // small frames go out now, not after Nagle's wait
        if (auto tls = self->current_tls())
          std::make_shared<detect_session>(self->rt_, std::move(socket), std::move(tls), self->routes_, self->opts_)
            ->run();
        else
          std::make_shared<http_session<beast::tcp_stream>>(self->rt_, beast::tcp_stream(std::move(socket)),
                                                            beast::flat_buffer{}, self->routes_, self->opts_)
            ->run();
      }
      self->accept();
    });
  }

  unsigned short port() const override { return port_; }

  void stop() override {
    asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
      error_code ec;
      self->acceptor_.close(ec);
    });
  }

private:
  std::shared_ptr<asio::ssl::context> load_tls(std::string& error) const {
    error_code ec;
    auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
    ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                     asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
    ctx->use_certificate_chain_file(opts_.tls_certificate_file, ec);
    if (!ec) ctx->use_private_key_file(opts_.tls_key_file, asio::ssl::context::pem, ec);
    if (ec) {
      error = "cannot load TLS certificate/key: " + ec.message();
      return nullptr;
    }
    return ctx;
  }

  std::shared_ptr<asio::ssl::context> current_tls() {
    std::lock_guard<std::mutex> guard{tls_mutex_};
    return tls_;
  }

  io_runtime& rt_;
  asio::io_context& ioc_;
  tcp::acceptor acceptor_;
  server_options opts_;
  std::shared_ptr<const server_routes> routes_;
  std::mutex tls_mutex_;
  std::shared_ptr<asio::ssl::context> tls_;
  std::vector<std::shared_ptr<asio::ssl::context>> retired_; ///< one per reload: a few hundred bytes each
  unsigned short port_ = 0;
};

} // namespace

std::shared_ptr<server> server::start(io_runtime& rt, server_options opts, server_routes routes, std::string& error) {
  auto l = std::make_shared<listener>(rt, std::move(opts), std::move(routes));
  if (!l->open(error)) return nullptr;
  l->accept();
  return l;
}

} // namespace mpk::net
