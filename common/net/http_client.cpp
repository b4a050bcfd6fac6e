#include "common/net/http_client.hpp"

#include "common/net/detail/asio.hpp"
#include "common/net/detail/peer_check.hpp"
#include "common/net/url.hpp"

#include <openssl/ssl.h>

#include <algorithm>
#include <cstdint>
#include <memory>

namespace mpk::net {

namespace {

/// Bytes asked for per socket read once a large body follows: a phone's screen dump arrives in
/// a handful of reads.
constexpr std::size_t read_chunk_bytes = 64 * 1024;
/// Bytes asked for per socket read of the header (and of a small body): a phone's answer header
/// and its registration or function-key XML fit, and the buffer is held while the answer is
/// awaited, 64 KB of it per exchange in flight (a phone-session under load has over a hundred).
constexpr std::size_t header_chunk_bytes = 4 * 1024;

void start(io_runtime& rt, http_fetch_request req, std::function<void(http_fetch_result)> done, bool allow_reuse);

template <class Stream>
class fetcher : public std::enable_shared_from_this<fetcher<Stream>> {
public:
  /// `reused`: `stream` is a parked keep-alive connection to `origin`, already connected.
  fetcher(io_runtime& rt, Stream stream, bool reused, std::string origin, url_parts url, http_fetch_request req,
          std::function<void(http_fetch_result)> done)
      : rt_(rt),
        resolver_(stream.get_executor()),
        stream_(std::move(stream)),
        reused_(reused),
        origin_(std::move(origin)),
        url_(std::move(url)),
        req_(std::move(req)),
        done_(std::move(done)) {
    // Beast reads at most the buffer's free capacity (at least 512 bytes) per call, and the
    // parser moves body bytes out of it at once, so an unreserved buffer never grows: a 225 KB
    // LCD dump then took ~80 reads of ~2.7 KB, each a recvmsg and a trip through the read op.
    // Small for the header; on_header makes room for a large body.
    buffer_.reserve(header_chunk_bytes);
  }

  void run() {
    beast::get_lowest_layer(stream_).expires_after(req_.timeout);
    if (reused_) return on_tls({});
    // An address literal (the usual passthrough URL) needs no resolver: the resolver runs
    // getaddrinfo on a thread of its own, one round trip to it and back per request.
    error_code ec;
    auto address = asio::ip::make_address(url_.host, ec);
    if (!ec) {
      tcp::endpoint ep(address, static_cast<unsigned short>(std::stoul(url_.port))); // parse_url checked it
      beast::get_lowest_layer(stream_).async_connect(
        ep, [self = this->shared_from_this(), ep](error_code ec) { self->on_connect(ec, ep); });
      return;
    }
    resolver_.async_resolve(url_.host, url_.port,
                            beast::bind_front_handler(&fetcher::on_resolve, this->shared_from_this()));
  }

private:
  void fail(std::string what) {
    if (!done_) return;
    http_fetch_result r;
    r.error = std::move(what);
    auto d = std::move(done_);
    d(std::move(r));
  }

  void on_resolve(error_code ec, tcp::resolver::results_type results) {
    if (ec) return fail("cannot resolve " + url_.host + ": " + detail::describe(ec));
    beast::get_lowest_layer(stream_).async_connect(
      results, beast::bind_front_handler(&fetcher::on_connect, this->shared_from_this()));
  }

  void on_connect(error_code ec, tcp::resolver::results_type::endpoint_type) {
    if (ec) return fail(detail::describe(ec));
    error_code ignored;
    beast::get_lowest_layer(stream_).socket().set_option(tcp::no_delay(true), ignored);
    if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
      if (!SSL_set_tlsext_host_name(stream_.native_handle(), url_.host.c_str())) return fail("TLS setup failed");
      detail::check_peer(stream_, url_.host, req_.tls, cert_failure_);
      stream_.async_handshake(asio::ssl::stream_base::client,
                              beast::bind_front_handler(&fetcher::on_tls, this->shared_from_this()));
    } else {
      on_tls({});
    }
  }

  void on_tls(error_code ec) {
    if (ec) return fail(detail::handshake_failure("TLS handshake with " + url_.host, *cert_failure_, ec));
    request_.method_string(req_.method);
    request_.target(url_.target);
    request_.version(11);
    request_.set(http::field::host, url_.host + ":" + url_.port);
    request_.set(http::field::user_agent, "myphonekeys");
    request_.keep_alive(true);
    for (auto& [k, v] : req_.headers) request_.set(k, v);
    request_.body() = req_.body;
    if (!req_.body.empty() || req_.method == "POST") request_.prepare_payload();
    http::async_write(stream_, request_, beast::bind_front_handler(&fetcher::on_write, this->shared_from_this()));
  }

  /// A parked connection the server closed while it was idle fails at once, before any byte of
  /// the answer: the request never ran there, so it goes once more on a fresh connection.
  bool retried_after_dead_idle(const error_code& ec) {
    bool dead = ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
                ec == asio::error::broken_pipe || ec == asio::ssl::error::stream_truncated;
    if (!reused_ || !dead || buffer_.size() != 0 || !done_) return false;
    start(rt_, std::move(req_), std::move(done_), false);
    return true;
  }

  void on_write(error_code ec, std::size_t) {
    if (ec && retried_after_dead_idle(ec)) return;
    if (ec) return fail(detail::describe(ec));
    parser_.body_limit(req_.max_body_bytes);
    if (req_.method == "HEAD") parser_.skip(true); // a HEAD answer has no body, whatever its length says
    // The header first: only a failure before any byte of the answer may be a dead idle connection.
    http::async_read_header(stream_, buffer_, parser_,
                            beast::bind_front_handler(&fetcher::on_header, this->shared_from_this()));
  }

  void on_header(error_code ec, std::size_t) {
    if (ec && retried_after_dead_idle(ec)) return;
    if (ec) return fail(ec == http::error::body_limit ? "response too large" : detail::describe(ec));
    // Room for the body's reads: as much as a known length still needs, up to read_chunk_bytes
    // (reserve keeps the body bytes already read).
    auto length = parser_.content_length();
    std::size_t wanted =
      length ? static_cast<std::size_t>(std::min<std::uint64_t>(*length, read_chunk_bytes)) : read_chunk_bytes;
    if (!parser_.is_done() && wanted > buffer_.capacity()) buffer_.reserve(wanted);
    http::async_read(stream_, buffer_, parser_, beast::bind_front_handler(&fetcher::on_read, this->shared_from_this()));
  }

  void on_read(error_code ec, std::size_t) {
    if (ec) return fail(ec == http::error::body_limit ? "response too large" : detail::describe(ec));
    auto& res = parser_.get();
    http_fetch_result r;
    r.ok = true;
    r.status = static_cast<int>(res.result_int());
    r.content_type = std::string(res[http::field::content_type]);
    for (auto& f : res) r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    r.body = std::move(res.body());
    if (res.keep_alive() && buffer_.size() == 0) {
      beast::get_lowest_layer(stream_).expires_never();
      detail::pool_of<Stream>(rt_).give_back(origin_, std::make_unique<Stream>(std::move(stream_)));
    } else {
      error_code ignored;
      beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    }
    auto d = std::move(done_);
    if (d) d(std::move(r));
  }

  io_runtime& rt_;
  tcp::resolver resolver_;
  Stream stream_;
  bool reused_ = false;
  std::string origin_;
  url_parts url_;
  http_fetch_request req_;
  std::function<void(http_fetch_result)> done_;
  http::request<http::string_body> request_;
  beast::flat_buffer buffer_;
  http::response_parser<http::string_body> parser_;
  std::shared_ptr<std::string> cert_failure_ = std::make_shared<std::string>(); ///< why the peer check refused
};

/// GET and HEAD may take a parked connection (and be sent again on a fresh one when it turns
/// out dead); other methods always open their own, so nothing with a body is ever sent twice.
bool may_reuse(const std::string& method) { return method == "GET" || method == "HEAD"; }

void start(io_runtime& rt, http_fetch_request req, std::function<void(http_fetch_result)> done, bool allow_reuse) {
  auto url = parse_url(req.url);
  if (!url || (url->scheme != "http" && url->scheme != "https")) {
    http_fetch_result r;
    r.error = "bad URL '" + req.url + "'";
    done(std::move(r));
    return;
  }
  auto& ioc = detail::context_of(rt);
  auto origin = detail::pool_origin(*url, req.tls);
  allow_reuse = allow_reuse && may_reuse(req.method);
  if (url->tls()) {
    using stream_type = beast::ssl_stream<beast::tcp_stream>;
    std::unique_ptr<stream_type> parked;
    if (allow_reuse) parked = detail::pool_of<stream_type>(rt).take(origin);
    bool reused = parked != nullptr;
    if (!parked)
      parked = std::make_unique<stream_type>(asio::make_strand(ioc), *detail::client_tls_context(rt, req.tls));
    std::make_shared<fetcher<stream_type>>(rt, std::move(*parked), reused, std::move(origin), *url, std::move(req),
                                           std::move(done))
      ->run();
  } else {
    using stream_type = beast::tcp_stream;
    std::unique_ptr<stream_type> parked;
    if (allow_reuse) parked = detail::pool_of<stream_type>(rt).take(origin);
    bool reused = parked != nullptr;
    if (!parked) parked = std::make_unique<stream_type>(asio::make_strand(ioc));
    std::make_shared<fetcher<stream_type>>(rt, std::move(*parked), reused, std::move(origin), *url, std::move(req),
                                           std::move(done))
      ->run();
  }
}

} // namespace

namespace detail {

std::string pool_origin(const url_parts& url, const tls_client_options& tls) {
  std::string key = url.scheme + "://" + url.host + ":" + url.port;
  if (url.tls()) key += (tls.insecure ? "|insecure|" : "|verify|") + tls.ca_file + "|pin|" + tls.pin;
  return key;
}

} // namespace detail

void fetch(io_runtime& rt, http_fetch_request req, std::function<void(http_fetch_result)> done) {
  start(rt, std::move(req), std::move(done), true);
}

std::size_t idle_http_connections(io_runtime& rt) {
  auto& im = detail::runtime_access::of(rt);
  return im.idle_plain.idle_count() + im.idle_tls.idle_count();
}

} // namespace mpk::net
