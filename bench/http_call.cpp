#include "bench/http_call.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace mpk::bench {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

std::optional<http_answer> http_call(const std::string& method, const std::string& url, const std::string& body) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) return std::nullopt;
  auto rest = url.substr(scheme.size());
  auto slash = rest.find('/');
  auto hostport = rest.substr(0, slash);
  auto target = slash == std::string::npos ? std::string("/") : rest.substr(slash);
  auto colon = hostport.rfind(':');
  if (colon == std::string::npos) return std::nullopt;
  try {
    boost::asio::io_context ioc;
    tcp::resolver resolver(ioc);
    beast::tcp_stream stream(ioc);
    stream.connect(resolver.resolve(hostport.substr(0, colon), hostport.substr(colon + 1)));
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, hostport);
    if (!body.empty()) req.set(http::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buf;
    http::response_parser<http::string_body> parser;
    parser.body_limit(256u << 20);
    http::read(stream, buf, parser);
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    return http_answer{static_cast<int>(parser.get().result_int()), std::move(parser.get().body())};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

} // namespace mpk::bench
