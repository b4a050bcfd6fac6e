#include "common/http/serializer.hpp"

namespace mpk::http {
namespace {

/// Appends `text` with the characters that would break the message framing neutralised.
void put_safe(std::string& out, std::string_view text) {
  for (char c : text)
    out.push_back(c == '\r' || c == '\n' || c == '\0' ? ' ' : c);
}

void put_headers(std::string& out, const header_list& headers) {
  for (const auto& [name, value] : headers.items) {
    put_safe(out, name);
    out += ": ";
    put_safe(out, value);
    out += "\r\n";
  }
  out += "\r\n";
}

}  // namespace

std::string serialize(const request& req) {
  header_list headers = req.headers;
  headers.erase("Transfer-Encoding");
  if (!req.body.empty() || req.method == "POST" || req.method == "PUT")
    headers.set("Content-Length", std::to_string(req.body.size()));
  else
    headers.erase("Content-Length");

  std::string out;
  out.reserve(64 + req.target.size() + req.body.size());
  put_safe(out, req.method);
  out += ' ';
  // Spaces and control bytes would split the request line; a target has them percent-encoded.
  for (char c : req.target) {
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
  out += ' ';
  put_safe(out, req.version.empty() ? std::string_view{"HTTP/1.1"} : req.version);
  out += "\r\n";
  put_headers(out, headers);
  out += req.body;
  return out;
}

std::string serialize(const response& res) {
  header_list headers = res.headers;
  headers.erase("Transfer-Encoding");
  bool bodyless = (res.status >= 100 && res.status < 200) || res.status == 204;
  if (bodyless)
    headers.erase("Content-Length");
  else
    headers.set("Content-Length", std::to_string(res.body.size()));

  std::string out;
  out.reserve(64 + res.body.size());
  put_safe(out, res.version.empty() ? std::string_view{"HTTP/1.1"} : res.version);
  out += ' ';
  // Three digits always, so the output is a status line even for a nonsense status.
  int status = res.status >= 100 && res.status <= 999 ? res.status : 500;
  out += std::to_string(status);
  out += ' ';
  put_safe(out, res.reason);
  out += "\r\n";
  put_headers(out, headers);
  if (!bodyless)
    out += res.body;
  return out;
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 417: return "Expectation Failed";
    case 422: return "Unprocessable Content";
    case 426: return "Upgrade Required";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "";
  }
}

}  // namespace mpk::http
