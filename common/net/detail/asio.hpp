#pragma once
// Internal: Asio/Beast declarations for the files of common/net only (never included by actors).

#include "common/net/connection.hpp"
#include "common/net/detail/http_pool.hpp"
#include "common/net/io_runtime.hpp"
#include "common/net/url.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace mpk::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = boost::asio::ip::tcp;
using error_code = boost::system::error_code;

struct io_runtime::impl {
  asio::io_context ioc;
  asio::executor_work_guard<asio::io_context::executor_type> work{ioc.get_executor()};
  std::vector<std::thread> threads;
  std::mutex tls_mutex; // ssl::context construction is not thread-safe (Beast#2917)
  std::map<std::string, std::shared_ptr<asio::ssl::context>> client_tls;
  std::vector<std::shared_ptr<asio::ssl::context>> retired_client_tls; ///< parked streams may still use them
  // After ioc: parked connections close before the context goes.
  detail::idle_pool<beast::tcp_stream> idle_plain{ioc};
  detail::idle_pool<beast::ssl_stream<beast::tcp_stream>> idle_tls{ioc};
};

namespace detail {

struct runtime_access {
  static io_runtime::impl& of(io_runtime& rt) { return *rt.impl_; }
};

inline asio::io_context& context_of(io_runtime& rt) { return runtime_access::of(rt).ioc; }

/// The parked keep-alive connections of one stream type (plain or TLS).
template <class Stream>
idle_pool<Stream>& pool_of(io_runtime& rt) {
  auto& im = runtime_access::of(rt);
  if constexpr (std::is_same_v<Stream, beast::tcp_stream>)
    return im.idle_plain;
  else
    return im.idle_tls;
}

/// Key of the idle pool: scheme, host, port and (TLS) how the peer is verified.
std::string pool_origin(const url_parts& url, const tls_client_options& tls);

/// One shared client TLS context per (CA file, insecure) pair: verify_peer with the system store by default.
std::shared_ptr<asio::ssl::context> client_tls_context(io_runtime& rt, const tls_client_options& opts);

/// Plain words for an error, treating the normal ends of a connection alike.
std::string describe(const error_code& ec);
bool is_normal_end(const error_code& ec);

std::uint64_t next_connection_id();

} // namespace detail
} // namespace mpk::net
