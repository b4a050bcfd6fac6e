// The reverse-proxy exchange: Beast parsers and serializers with buffer_body on both legs, so a
// body moves through in pieces of one buffer and is never held whole (Beast's "relay" example,
// made asynchronous).

#include "common/net/http_proxy.hpp"

#include "common/net/detail/peer_check.hpp"
#include "common/net/detail/proxy_exchange.hpp"
#include "common/net/redactor.hpp"

#include <openssl/ssl.h>

#include <array>
#include <atomic>
#include <limits>
#include <variant>

namespace mpk::net {

namespace {
beast::string_view bsv(std::string_view s) { return {s.data(), s.size()}; }
} // namespace

bool is_hop_by_hop(std::string_view name, std::string_view connection_field) {
  static constexpr std::string_view per_leg[] = {
    "Connection",        "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Connection", "TE", "Trailer",
    "Transfer-Encoding", "Upgrade",    "Content-Length"};
  for (auto f : per_leg)
    if (beast::iequals(bsv(name), bsv(f))) return true;
  for (auto token : http::token_list{bsv(connection_field)})
    if (beast::iequals(bsv(name), token)) return true;
  return false;
}

namespace detail {

namespace {

/// Bytes moved per step in each direction: one buffer per direction and exchange.
constexpr std::size_t piece_bytes = 64 * 1024;
/// After an answer sent while the client was still uploading, its bytes are read and dropped
/// for up to drain_time (or drain_bytes) before the connection closes, so that the client reads
/// the answer instead of a reset (a "lingering close").
constexpr auto drain_time = std::chrono::seconds(5);
constexpr auto drain_pause = std::chrono::seconds(1); ///< a client that sends nothing this long is done
constexpr std::size_t drain_bytes = 16 << 20;

using plain_stream = beast::tcp_stream;
using tls_stream = beast::ssl_stream<beast::tcp_stream>;

bool bodiless_status(unsigned status) { return status / 100 == 1 || status == 204 || status == 304; }

template <class Client>
class proxy_exchange final : public server_proxy_relay, public std::enable_shared_from_this<proxy_exchange<Client>> {
public:
  proxy_exchange(io_runtime& rt, std::shared_ptr<void> owner, Client& client, beast::flat_buffer& buffer,
                 http::request_parser<http::empty_body>&& head, std::function<void(bool)> done)
      : rt_(rt),
        owner_(std::move(owner)),
        client_(client),
        cbuf_(buffer),
        req_(std::move(head)),
        done_(std::move(done)) {
    auto& h = req_.get();
    head_request_ = h.method() == http::verb::head;
    client_keep_alive_ = h.keep_alive();
    client_version_ = h.version();
    has_body_ = req_.chunked() || req_.content_length().value_or(0) > 0;
    expect_continue_ = beast::iequals(h[http::field::expect], "100-continue");
  }

  const http::request<http::buffer_body>& request() const override { return req_.get(); }
  http::request_parser<http::buffer_body>& parser() override { return req_; }

  void forward(proxy_plan plan) override {
    if (taken_.exchange(true)) return;
    asio::dispatch(client_.get_executor(), [self = this->shared_from_this(), plan = std::move(plan)]() mutable {
      self->start(std::move(plan));
    });
  }

  void reply(http_reply reply) override {
    if (taken_.exchange(true)) return;
    asio::dispatch(client_.get_executor(), [self = this->shared_from_this(), reply = std::move(reply)]() mutable {
      self->answer(std::move(reply));
    });
  }

private:
  // -- the request leg ------------------------------------------------------------------

  void start(proxy_plan plan) {
    plan_ = std::move(plan);
    redactor_ = redactor(plan_.redact);
    if (req_.content_length() && *req_.content_length() > plan_.max_request_body) return refuse_upload();
    auto url = parse_url(plan_.url);
    if (!url || (url->scheme != "http" && url->scheme != "https"))
      return answer(http_reply::text(502, "the relay has no valid address for this request\n"));
    url_ = *url;
    build_request(plan_.headers);
    if (expect_continue_ && has_body_) {
      // The client waits for this before it sends the body (RFC 9110 §10.1.1).
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
      beast::get_lowest_layer(client_).expires_after(plan_.timeout);
      http::async_write(client_, *cont, bind([self = this->shared_from_this(), cont](error_code ec, std::size_t) {
                          if (ec) return self->fail("the client went away: " + describe(ec));
                          self->connect();
                        }));
      return;
    }
    connect();
  }

  void build_request(const header_fields& fields) {
    up_req_ = {};
    up_req_.method_string(req_.get().method_string());
    up_req_.target(url_.target);
    up_req_.version(11);
    std::string connection;
    for (auto& [k, v] : fields)
      if (beast::iequals(k, "Connection")) connection = v;
    for (auto& [k, v] : fields)
      if (!is_hop_by_hop(k, connection) && !beast::iequals(k, "Host") && !beast::iequals(k, "Expect"))
        up_req_.insert(k, v);
    up_req_.set(http::field::host, url_.host + ":" + url_.port);
    if (auto n = req_.content_length())
      up_req_.content_length(*n);
    else if (req_.chunked())
      up_req_.chunked(true);
    up_req_.keep_alive(true);
  }

  void connect() {
    auto origin = pool_origin(url_, plan_.tls);
    reused_ = false;
    // Only a request without a body may go on a parked connection: if that turns out dead it
    // is sent once more, which a streamed body could not be.
    if (!has_body_ && !no_reuse_) {
      if (url_.tls()) {
        if (auto s = pool_of<tls_stream>(rt_).take(origin)) up_ = std::move(s), reused_ = true;
      } else if (auto s = pool_of<plain_stream>(rt_).take(origin)) {
        up_ = std::move(s), reused_ = true;
      }
      if (reused_) return send_request();
    }
    if (url_.tls())
      up_ = std::make_unique<tls_stream>(client_.get_executor(), *client_tls_context(rt_, plan_.tls));
    else
      up_ = std::make_unique<plain_stream>(client_.get_executor());
    up_layer().expires_after(plan_.timeout);
    error_code ec;
    auto address = asio::ip::make_address(url_.host, ec);
    if (!ec) {
      tcp::endpoint ep(address, static_cast<unsigned short>(std::stoul(url_.port)));
      up_layer().async_connect(ep, bind([self = this->shared_from_this()](error_code ec) { self->on_connect(ec); }));
      return;
    }
    resolver_.emplace(client_.get_executor());
    resolver_->async_resolve(url_.host, url_.port,
                             bind([self = this->shared_from_this()](error_code ec, tcp::resolver::results_type r) {
                               if (ec) return self->upstream_failed("cannot resolve the upstream: " + describe(ec));
                               self->up_layer().async_connect(
                                 r, self->bind([self](error_code ec, const tcp::endpoint&) { self->on_connect(ec); }));
                             }));
  }

  void on_connect(error_code ec) {
    if (ec) return upstream_failed(describe(ec));
    error_code ignored;
    up_layer().socket().set_option(tcp::no_delay(true), ignored);
    auto* tls = std::get_if<std::unique_ptr<tls_stream>>(&up_);
    if (!tls) return send_request();
    auto& s = **tls;
    if (!SSL_set_tlsext_host_name(s.native_handle(), url_.host.c_str())) return upstream_failed("TLS setup failed");
    detail::check_peer(s, url_.host, plan_.tls, cert_failure_);
    s.async_handshake(asio::ssl::stream_base::client, bind([self = this->shared_from_this()](error_code ec) {
                        if (ec)
                          return self->upstream_failed(detail::handshake_failure(
                            "TLS handshake with " + self->url_.host, *self->cert_failure_, ec));
                        self->send_request();
                      }));
  }

  void send_request() {
    up_sr_.emplace(up_req_);
    up_layer().expires_after(plan_.timeout);
    auto self = this->shared_from_this();
    if (!has_body_) {
      up_req_.body() = {nullptr, 0, false};
      return with_upstream([&](auto& s) {
        http::async_write(s, *up_sr_, bind([self](error_code ec, std::size_t) { self->on_request_sent(ec); }));
      });
    }
    with_upstream([&](auto& s) {
      http::async_write_header(s, *up_sr_, bind([self](error_code ec, std::size_t) {
                                 if (ec) return self->upstream_failed(describe(ec));
                                 self->read_upload();
                               }));
    });
  }

  /// The next piece of the client's body.
  void read_upload() {
    auto& body = req_.get().body();
    body.data = in_.data();
    body.size = in_.size();
    beast::get_lowest_layer(client_).expires_after(plan_.timeout);
    http::async_read(client_, cbuf_, req_, bind([self = this->shared_from_this()](error_code ec, std::size_t) {
                       self->on_upload_piece(ec);
                     }));
  }

  void on_upload_piece(error_code ec) {
    if (ec == http::error::need_buffer) ec = {};
    if (ec) return fail("the upload broke off: " + describe(ec));
    auto n = in_.size() - req_.get().body().size;
    outcome_.request_bytes += n;
    if (outcome_.request_bytes > plan_.max_request_body) return refuse_upload();
    up_req_.body() = {n ? in_.data() : nullptr, n, !req_.is_done()};
    write_upload();
  }

  void write_upload() {
    up_layer().expires_after(plan_.timeout);
    with_upstream([&](auto& s) {
      http::async_write(s, *up_sr_, bind([self = this->shared_from_this()](error_code ec, std::size_t) {
                          if (ec == http::error::need_buffer) ec = {};
                          if (ec) return self->upstream_failed(describe(ec));
                          if (!self->req_.is_done()) return self->read_upload();
                          if (!self->up_sr_->is_done()) {
                            self->up_req_.body() = {nullptr, 0, false}; // the last chunk of a chunked body
                            return self->write_upload();
                          }
                          self->on_request_sent({});
                        }));
    });
  }

  // -- the response leg ------------------------------------------------------------------

  void on_request_sent(error_code ec) {
    if (ec) return upstream_failed(describe(ec));
    read_response_header();
  }

  void read_response_header() {
    res_.emplace();
    res_->body_limit(std::numeric_limits<std::uint64_t>::max()); // streamed: no limit of ours
    if (head_request_) res_->skip(true);
    up_layer().expires_after(plan_.timeout);
    with_upstream([&](auto& s) {
      http::async_read_header(s, ubuf_, *res_, bind([self = this->shared_from_this()](error_code ec, std::size_t) {
                                self->on_response_header(ec);
                              }));
    });
  }

  void on_response_header(error_code ec) {
    if (ec) return upstream_failed(describe(ec));
    auto& head = res_->get();
    auto status = head.result_int();
    if (status / 100 == 1 && status != 101) return read_response_header(); // an interim answer: the real one follows
    got_answer_ = true;
    header_fields fields;
    auto connection = head[http::field::connection];
    for (auto& f : head)
      if (!is_hop_by_hop({f.name_string().data(), f.name_string().size()}, {connection.data(), connection.size()}))
        fields.emplace_back(std::string(f.name_string()), std::string(f.value()));
    bool may_retry = !has_body_ && !retried_;
    if (plan_.on_response) {
      auto again = plan_.on_response(static_cast<int>(status), fields, may_retry);
      if (again && may_retry) {
        retried_ = true;
        got_answer_ = false;
        close_upstream(); // its answer is not read to the end
        build_request(*again);
        return connect();
      }
    }
    send_response_header(status, fields);
  }

  void send_response_header(unsigned status, const header_fields& fields) {
    down_ = {};
    down_.result(status);
    down_.version(client_version_ == 10 ? 10 : 11);
    for (auto& [k, v] : fields)
      if (!is_hop_by_hop(k)) down_.insert(k, v);
    bodiless_ = head_request_ || bodiless_status(status);
    bool close_delimited = false;
    auto length = res_->content_length();
    if (head_request_) {
      if (length) down_.set(http::field::content_length, std::to_string(*length));
    } else if (!bodiless_) {
      if (length)
        down_.content_length(*length);
      else if (client_version_ >= 11)
        down_.chunked(true);
      else
        close_delimited = true; // an HTTP/1.0 client: the end of the body is the end of the connection
    }
    keep_client_ = client_keep_alive_ && !close_delimited && (!has_body_ || req_.is_done());
    down_.keep_alive(keep_client_);
    outcome_.status = static_cast<int>(status);
    down_.body() = {nullptr, 0, !bodiless_};
    down_sr_.emplace(down_);
    beast::get_lowest_layer(client_).expires_after(plan_.timeout);
    http::async_write_header(client_, *down_sr_, bind([self = this->shared_from_this()](error_code ec, std::size_t) {
                               if (ec) return self->fail("the client went away: " + describe(ec));
                               if (self->bodiless_) return self->finish();
                               self->read_download();
                             }));
  }

  /// The next piece of the upstream's body.
  void read_download() {
    auto& body = res_->get().body();
    body.data = in_.data();
    body.size = in_.size();
    up_layer().expires_after(plan_.timeout);
    with_upstream([&](auto& s) {
      http::async_read(s, ubuf_, *res_, bind([self = this->shared_from_this()](error_code ec, std::size_t) {
                         self->on_download_piece(ec);
                       }));
    });
  }

  void on_download_piece(error_code ec) {
    if (ec == http::error::need_buffer) ec = {};
    if (ec) return fail("the upstream broke off: " + describe(ec));
    auto n = in_.size() - res_->get().body().size;
    out_ = redactor_.feed(std::string_view(in_.data(), n));
    if (res_->is_done()) out_ += redactor_.finish();
    down_.body() = {out_.empty() ? nullptr : out_.data(), out_.size(), !res_->is_done()};
    write_download();
  }

  void write_download() {
    beast::get_lowest_layer(client_).expires_after(plan_.timeout);
    auto handed = down_.body().size; // a write returns when the serializer has taken all of it
    http::async_write(client_, *down_sr_, bind([self = this->shared_from_this(), handed](error_code ec, std::size_t) {
                        if (ec == http::error::need_buffer) ec = {};
                        if (ec) return self->fail("the client went away: " + describe(ec));
                        self->outcome_.response_bytes += handed;
                        if (!self->res_->is_done()) return self->read_download();
                        if (!self->down_sr_->is_done()) {
                          self->down_.body() = {nullptr, 0, false};
                          return self->write_download();
                        }
                        self->finish();
                      }));
  }

  // -- endings ---------------------------------------------------------------------------

  void finish() {
    outcome_.complete = true;
    bool reusable = res_ && res_->is_done() && res_->keep_alive() && ubuf_.size() == 0;
    if (reusable)
      park_upstream();
    else
      close_upstream();
    end(keep_client_);
  }

  /// The upstream failed before its answer: a dead parked connection is replaced once, anything
  /// else gets 502 (or 504 on a timeout), never with the upstream's address.
  void upstream_failed(std::string what) {
    if (reused_ && !got_answer_ && ubuf_.size() == 0) {
      close_upstream();
      no_reuse_ = true;
      return connect();
    }
    close_upstream();
    if (got_answer_) return fail("the upstream broke off: " + what);
    outcome_.error = what;
    bool timeout = what == "timeout";
    answer(http_reply::text(timeout ? 504 : 502, timeout ? "the device did not answer in time\n"
                                                         : "the device could not be reached: " + what + "\n"));
  }

  void refuse_upload() {
    close_upstream();
    outcome_.error = "upload larger than " + std::to_string(plan_.max_request_body) + " bytes";
    answer(http_reply::text(
      413, "the upload is larger than the relay accepts (" + std::to_string(plan_.max_request_body) + " bytes)\n"));
  }

  /// An answer of the relay's own (refusals, upstream errors), with the request body unread or
  /// partly read.
  void answer(http_reply reply) {
    if (outcome_.status != 0) return fail("answered twice"); // a header already went out
    outcome_.status = reply.status;
    bool body_pending = has_body_ && !req_.is_done();
    auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(reply.status), 11);
    res->set(http::field::server, "myphonekeys");
    res->set(http::field::content_type, reply.content_type);
    add_fields(*res, reply.headers);
    res->keep_alive(client_keep_alive_ && !body_pending);
    res->body() = std::move(reply.body);
    res->prepare_payload();
    if (head_request_) res->body().clear();
    beast::get_lowest_layer(client_).expires_after(plan_.timeout);
    http::async_write(client_, *res,
                      bind([self = this->shared_from_this(), res, body_pending](error_code ec, std::size_t) {
                        if (ec) return self->fail("the client went away: " + describe(ec));
                        if (body_pending) return self->drain_and_close();
                        self->outcome_.complete = true;
                        self->end(res->keep_alive());
                      }));
  }

  /// Lingering close: no more writes, the rest of the upload is read and dropped for a while.
  void drain_and_close() {
    auto& layer = beast::get_lowest_layer(client_);
    auto now = std::chrono::steady_clock::now();
    if (drain_until_ == std::chrono::steady_clock::time_point{}) { // the first call
      error_code ignored;
      layer.socket().shutdown(tcp::socket::shutdown_send, ignored);
      drain_until_ = now + drain_time;
    }
    if (now >= drain_until_) return end(false);
    layer.expires_after(std::min<std::chrono::steady_clock::duration>(drain_pause, drain_until_ - now));
    layer.async_read_some(asio::buffer(in_), bind([self = this->shared_from_this()](error_code ec, std::size_t n) {
                            self->drained_ += n;
                            if (ec || self->drained_ > drain_bytes) return self->end(false);
                            self->drain_and_close();
                          }));
  }

  void fail(std::string what) {
    if (outcome_.error.empty()) outcome_.error = std::move(what);
    close_upstream();
    end(false);
  }

  void end(bool keep_alive) {
    if (ended_) return;
    ended_ = true;
    if (plan_.on_done) plan_.on_done(outcome_);
    auto done = std::move(done_);
    owner_.reset();
    if (done) done(keep_alive);
  }

  // -- the upstream connection -------------------------------------------------------------

  template <class F>
  void with_upstream(F&& f) {
    std::visit([&](auto& s) { f(*s); }, up_);
  }

  beast::tcp_stream& up_layer() {
    return std::visit([](auto& s) -> beast::tcp_stream& { return beast::get_lowest_layer(*s); }, up_);
  }

  bool has_upstream() const {
    return std::visit([](auto& s) { return s != nullptr; }, up_);
  }

  void park_upstream() {
    if (!has_upstream()) return;
    up_layer().expires_never();
    auto origin = pool_origin(url_, plan_.tls);
    if (auto* t = std::get_if<std::unique_ptr<tls_stream>>(&up_))
      pool_of<tls_stream>(rt_).give_back(origin, std::move(*t));
    else
      pool_of<plain_stream>(rt_).give_back(origin, std::move(std::get<std::unique_ptr<plain_stream>>(up_)));
    up_ = std::unique_ptr<plain_stream>{};
  }

  void close_upstream() {
    if (!has_upstream()) return;
    error_code ignored;
    up_layer().socket().shutdown(tcp::socket::shutdown_both, ignored);
    up_layer().close();
    ubuf_.clear();
  }

  /// Every completion runs on the client connection's strand, also those of a parked upstream
  /// connection made on another one.
  template <class Handler>
  auto bind(Handler&& h) {
    return asio::bind_executor(client_.get_executor(), std::forward<Handler>(h));
  }

  io_runtime& rt_;
  std::shared_ptr<void> owner_; ///< the server session whose stream and buffer we borrow
  Client& client_;
  beast::flat_buffer& cbuf_;
  http::request_parser<http::buffer_body> req_;
  std::function<void(bool)> done_;
  std::atomic<bool> taken_{false};
  proxy_plan plan_;
  url_parts url_;
  std::shared_ptr<std::string> cert_failure_ = std::make_shared<std::string>(); ///< why the peer check refused
  redactor redactor_;
  bool head_request_ = false, client_keep_alive_ = false, has_body_ = false, expect_continue_ = false;
  unsigned client_version_ = 11;
  bool reused_ = false, no_reuse_ = false, retried_ = false, got_answer_ = false, bodiless_ = false,
       keep_client_ = false, ended_ = false;
  std::optional<tcp::resolver> resolver_;
  std::variant<std::unique_ptr<plain_stream>, std::unique_ptr<tls_stream>> up_;
  beast::flat_buffer ubuf_;
  http::request<http::buffer_body> up_req_;
  std::optional<http::request_serializer<http::buffer_body>> up_sr_;
  std::optional<http::response_parser<http::buffer_body>> res_;
  http::response<http::buffer_body> down_;
  std::optional<http::response_serializer<http::buffer_body>> down_sr_;
  std::array<char, piece_bytes> in_{};
  std::string out_;
  std::size_t drained_ = 0;
  std::chrono::steady_clock::time_point drain_until_;
  proxy_outcome outcome_;
};

} // namespace

template <class Stream>
std::shared_ptr<server_proxy_relay> make_proxy_exchange(io_runtime& rt, std::shared_ptr<void> owner, Stream& client,
                                                        beast::flat_buffer& buffer,
                                                        http::request_parser<http::empty_body>&& head,
                                                        std::function<void(bool keep_alive)> done) {
  return std::make_shared<proxy_exchange<Stream>>(rt, std::move(owner), client, buffer, std::move(head),
                                                  std::move(done));
}

template std::shared_ptr<server_proxy_relay> make_proxy_exchange<beast::tcp_stream>(
  io_runtime&, std::shared_ptr<void>, beast::tcp_stream&, beast::flat_buffer&, http::request_parser<http::empty_body>&&,
  std::function<void(bool)>);
template std::shared_ptr<server_proxy_relay> make_proxy_exchange<beast::ssl_stream<beast::tcp_stream>>(
  io_runtime&, std::shared_ptr<void>, beast::ssl_stream<beast::tcp_stream>&, beast::flat_buffer&,
  http::request_parser<http::empty_body>&&, std::function<void(bool)>);

} // namespace detail
} // namespace mpk::net
