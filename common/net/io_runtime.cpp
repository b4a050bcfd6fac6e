#include "common/net/connection.hpp"
#include "common/net/detail/asio.hpp"

#include "common/base/log.hpp"

#include <atomic>
#include <cctype>

namespace mpk::net {

io_runtime::io_runtime(int threads) : impl_(std::make_unique<impl>()) {
  if (threads < 1) threads = 1;
  for (int i = 0; i < threads; ++i)
    impl_->threads.emplace_back([this] {
      for (;;) {
        try {
          impl_->ioc.run();
          return;
        } catch (const std::exception& e) {
          // A handler must never take the process down: log and keep serving.
          log::write(log::level::error, log::category::app, "io", std::string("unhandled exception: ") + e.what());
        }
      }
    });
}

io_runtime::~io_runtime() { stop(); }

void io_runtime::stop() {
  if (!impl_) return;
  impl_->work.reset();
  impl_->ioc.stop();
  for (auto& t : impl_->threads)
    if (t.joinable() && t.get_id() != std::this_thread::get_id())
      t.join();
    else if (t.joinable())
      t.detach();
  impl_->threads.clear();
}

void io_runtime::reload_tls_clients() {
  std::lock_guard<std::mutex> guard{impl_->tls_mutex};
  for (auto& [key, ctx] : impl_->client_tls) impl_->retired_client_tls.push_back(std::move(ctx));
  impl_->client_tls.clear();
  log::write(log::level::info, log::category::link, "tls", "outgoing TLS reads its CA files again for new connections");
}

std::string http_request_info::header(std::string_view name) const {
  for (auto& [k, v] : headers) {
    if (k.size() != name.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < k.size() && same; ++i)
      same = std::tolower(static_cast<unsigned char>(k[i])) == std::tolower(static_cast<unsigned char>(name[i]));
    if (same) return v;
  }
  return {};
}

http_reply http_reply::text(int status, std::string body) {
  http_reply r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

http_reply http_reply::json(int status, std::string body) {
  http_reply r;
  r.status = status;
  r.content_type = "application/json";
  r.body = std::move(body);
  return r;
}

namespace detail {

std::shared_ptr<asio::ssl::context> client_tls_context(io_runtime& rt, const tls_client_options& opts) {
  auto& im = runtime_access::of(rt);
  std::lock_guard<std::mutex> guard{im.tls_mutex};
  auto key = opts.ca_file + (opts.insecure ? "|insecure" : "|verify");
  if (auto it = im.client_tls.find(key); it != im.client_tls.end()) return it->second;
  auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
  ctx->set_default_verify_paths();
  if (!opts.ca_file.empty()) {
    error_code ec;
    ctx->load_verify_file(opts.ca_file, ec);
    if (ec)
      log::write(log::level::error, log::category::link, "tls",
                 "cannot load CA file " + opts.ca_file + ": " + ec.message());
  }
  if (opts.insecure) {
    ctx->set_verify_mode(asio::ssl::verify_none);
    log::write(log::level::warn, log::category::link, "tls",
               "certificate verification is OFF for outgoing TLS (insecure lab switch)");
  } else {
    ctx->set_verify_mode(asio::ssl::verify_peer);
  }
  im.client_tls.emplace(key, ctx);
  return ctx;
}

bool is_normal_end(const error_code& ec) {
  return ec == websocket::error::closed || ec == asio::error::eof || ec == asio::ssl::error::stream_truncated ||
         ec == asio::error::operation_aborted || ec == beast::http::error::end_of_stream;
}

std::string describe(const error_code& ec) {
  if (ec == websocket::error::closed) return "closed by peer";
  if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated) return "connection closed";
  if (ec == beast::error::timeout) return "timeout";
  if (ec == websocket::error::message_too_big || ec == websocket::error::buffer_overflow) return "frame too large";
  if (ec == asio::error::operation_aborted) return "aborted";
  if (ec == asio::error::connection_refused) return "connection refused";
  return ec.message();
}

std::uint64_t next_connection_id() {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1);
}

} // namespace detail
} // namespace mpk::net
