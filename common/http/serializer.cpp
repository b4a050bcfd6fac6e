// HTTP/1.1 serialization with Boost.Beast's http::serializer: the start line and the fields are
// Beast's, written into a string (no stream); the body is appended whole behind them. Beast 1.74
// writes field text as given, so what could split a line is neutralised here first.

#include "common/http/serializer.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/status.hpp>

namespace mpk::http {
namespace {

namespace beast_http = boost::beast::http;

/// `text` with the characters that would break the message framing turned into spaces.
std::string framing_safe(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c == '\r' || c == '\n' || c == '\0') c = ' ';
  return out;
}

/// Spaces and control bytes would split the request line; a target has them percent-encoded.
std::string target_safe(std::string_view target) {
  std::string out;
  out.reserve(target.size());
  for (char c : target) {
    auto b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b >= 0x7f) {
      static constexpr char digits[] = "0123456789ABCDEF";
      out.push_back('%');
      out.push_back(digits[b >> 4]);
      out.push_back(digits[b & 0x0F]);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

unsigned beast_version(std::string_view version) { return version == "HTTP/1.0" ? 10 : 11; }

/// The caller's fields, without the framing ones: the body is always sent whole, so the
/// serializer decides Content-Length and never sends Transfer-Encoding.
void copy_fields(const header_list& from, beast_http::fields& to) {
  for (const auto& [name, value] : from.items)
    if (!iequals(name, "Content-Length") && !iequals(name, "Transfer-Encoding"))
      to.insert(framing_safe(name), framing_safe(value));
}

/// Beast's bytes of the start line and the fields.
template <bool IsRequest>
std::string header_bytes(beast_http::message<IsRequest, beast_http::empty_body>& m, std::size_t body_size) {
  std::string out;
  out.reserve(256 + body_size);
  beast_http::serializer<IsRequest, beast_http::empty_body> sr{m};
  boost::beast::error_code ec;
  while (!ec && !sr.is_done()) {
    sr.next(ec, [&](boost::beast::error_code&, const auto& buffers) {
      for (auto b : boost::beast::buffers_range_ref(buffers)) out.append(static_cast<const char*>(b.data()), b.size());
      sr.consume(boost::asio::buffer_size(buffers));
    });
  }
  return out;
}

} // namespace

std::string serialize(const request& req) {
  beast_http::request<beast_http::empty_body> m;
  m.method_string(framing_safe(req.method));
  m.target(target_safe(req.target));
  m.version(beast_version(req.version));
  copy_fields(req.headers, m.base());
  if (!req.body.empty() || req.method == "POST" || req.method == "PUT") m.content_length(req.body.size());
  auto out = header_bytes(m, req.body.size());
  out += req.body;
  return out;
}

std::string serialize(const response& res) {
  beast_http::response<beast_http::empty_body> m;
  // Three digits always, so the output is a status line even for a nonsense status.
  m.result(res.status >= 100 && res.status <= 999 ? static_cast<unsigned>(res.status) : 500u);
  m.reason(framing_safe(res.reason));
  m.version(beast_version(res.version));
  copy_fields(res.headers, m.base());
  // RFC 9110 §8.6: no Content-Length (and no body) for 1xx and 204.
  bool bodyless = (res.status >= 100 && res.status < 200) || res.status == 204;
  if (!bodyless) m.content_length(res.body.size());
  auto out = header_bytes(m, bodyless ? 0 : res.body.size());
  if (!bodyless) out += res.body;
  return out;
}

std::string_view reason_phrase(int status) {
  if (status < 100 || status > 999) return {};
  auto s = beast_http::int_to_status(static_cast<unsigned>(status));
  if (s == beast_http::status::unknown) return {};
  auto text = beast_http::obsolete_reason(s);
  return {text.data(), text.size()};
}

} // namespace mpk::http
