#include "services/phone-session/src/passthrough.hpp"

#include "services/phone-session/src/command_plan.hpp"

namespace mpk::session {

bool admin_request_ok(std::string_view method, std::string_view path, std::string& err) {
  if (method != "GET" && method != "HEAD" && method != "POST") {
    err = "method not allowed (GET, HEAD, POST)";
    return false;
  }
  if (path.empty() || path.front() != '/') {
    err = "path must start with /";
    return false;
  }
  if (path.size() > 4096) {
    err = "path too long";
    return false;
  }
  for (char ch : path) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x21 || c == 0x7F || c == '\\' || c == '#') {
      err = "path contains a character that is not allowed";
      return false;
    }
  }
  // Dot segments, also percent-encoded ones, in the path part (before any query).
  std::string_view p = path.substr(0, path.find('?'));
  std::size_t i = 0;
  while (i < p.size()) {
    std::size_t j = p.find('/', i + 1);
    std::string_view seg = p.substr(i + 1, (j == std::string_view::npos ? p.size() : j) - i - 1);
    std::string lower;
    for (char ch : seg) lower += static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
    if (lower == "." || lower == ".." || lower == "%2e" || lower == "%2e%2e" || lower == ".%2e" || lower == "%2e." ||
        lower.find("%2f") != std::string::npos || lower.find("%5c") != std::string::npos) {
      err = "path must not contain dot segments or encoded slashes";
      return false;
    }
    if (j == std::string_view::npos) break;
    i = j;
  }
  return true;
}

failure classify_failure(bool ok, int status, std::string_view body, std::string_view error) {
  failure f;
  if (!ok) {
    if (error == "timeout" || error.find("timed out") != std::string_view::npos) {
      f.code = "TIMEOUT";
      f.reason = "no answer from the phone in time";
    } else {
      f.code = "PHONE_ERROR";
      f.reason = "passthrough not reachable: " + printable(error, 200);
    }
    return f;
  }
  std::string detail = printable(body.substr(0, body.find('\n')), 160);
  std::string suffix = detail.empty() ? std::string() : ": " + detail;
  switch (status) {
    case 503:
      f.state = phone_state::offline;
      f.code = "OFFLINE";
      f.reason = "phone offline (503)" + suffix;
      break;
    case 504:
      f.code = "TIMEOUT";
      f.reason = "no answer from the phone in time (504)" + suffix;
      break;
    case 403:
    case 404:
      f.code = "PHONE_ERROR";
      f.reason = "passthrough refused (" + std::to_string(status) + ")" + suffix;
      f.new_key_needed = true;
      break;
    default: f.code = "PHONE_ERROR"; f.reason = "phone answered " + std::to_string(status) + suffix;
  }
  return f;
}

} // namespace mpk::session
