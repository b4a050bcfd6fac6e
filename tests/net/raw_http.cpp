#include "tests/net/raw_http.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace mpk::test {

namespace {

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

void set_timeout(int fd, std::chrono::milliseconds t) {
  timeval tv{};
  tv.tv_sec = static_cast<long>(t.count() / 1000);
  tv.tv_usec = static_cast<long>((t.count() % 1000) * 1000);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

/// More bytes into `buf`; false on EOF, error or timeout.
bool fill(int fd, std::string& buf) {
  char chunk[65536];
  ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
  if (n <= 0) return false;
  buf.append(chunk, static_cast<std::size_t>(n));
  return true;
}

bool read_line(int fd, std::string& buf, std::string& line) {
  for (;;) {
    auto e = buf.find("\r\n");
    if (e != std::string::npos) {
      line = buf.substr(0, e);
      buf.erase(0, e + 2);
      return true;
    }
    if (!fill(fd, buf)) return false;
  }
}

/// The next `n` body bytes onto `out`.
bool read_exactly(int fd, std::string& buf, std::size_t n, std::string& out,
                  const std::function<void(std::size_t)>& progress) {
  for (std::size_t got = 0; got < n;) {
    if (buf.empty() && !fill(fd, buf)) return false;
    auto take = std::min(n - got, buf.size());
    out.append(buf, 0, take);
    buf.erase(0, take);
    got += take;
    if (progress) progress(out.size());
  }
  return true;
}

} // namespace

int raw_message::status() const {
  auto sp = start.find(' ');
  return sp == std::string::npos ? 0 : std::atoi(start.c_str() + sp + 1);
}

std::string raw_message::method() const { return start.substr(0, start.find(' ')); }

std::string raw_message::target() const {
  auto a = start.find(' ');
  auto b = start.rfind(' ');
  return a == std::string::npos || b <= a ? std::string{} : start.substr(a + 1, b - a - 1);
}

std::string raw_message::field(std::string_view name) const {
  for (auto& [k, v] : fields)
    if (iequal(k, name)) return v;
  return {};
}

std::vector<std::string> raw_message::all(std::string_view name) const {
  std::vector<std::string> out;
  for (auto& [k, v] : fields)
    if (iequal(k, name)) out.push_back(v);
  return out;
}

bool raw_message::has(std::string_view name) const {
  for (auto& [k, v] : fields)
    if (iequal(k, name)) return true;
  return false;
}

std::string raw_message::head_text() const {
  std::string s = start + "\n";
  for (auto& [k, v] : fields) s += k + ": " + v + "\n";
  return s;
}

std::optional<raw_message> read_message(int fd, std::string& buf, bool is_response, bool head_request,
                                        const std::function<void(std::size_t)>& progress) {
  raw_message m;
  if (!read_line(fd, buf, m.start)) return std::nullopt;
  for (std::string line;;) {
    if (!read_line(fd, buf, line)) return std::nullopt;
    if (line.empty()) break;
    auto colon = line.find(':');
    if (colon == std::string::npos) return std::nullopt;
    m.fields.emplace_back(line.substr(0, colon), trim(std::string_view(line).substr(colon + 1)));
  }
  int status = is_response ? m.status() : 0;
  if (head_request || status / 100 == 1 || status == 204 || status == 304) return m;
  if (iequal(m.field("Transfer-Encoding"), "chunked")) {
    m.chunked = true;
    for (std::string line;;) {
      if (!read_line(fd, buf, line)) return std::nullopt;
      auto size = std::strtoul(line.c_str(), nullptr, 16);
      if (size == 0) {
        while (read_line(fd, buf, line) && !line.empty()) {} // trailers
        return m;
      }
      std::string piece;
      if (!read_exactly(fd, buf, size, piece, {})) return std::nullopt;
      m.body += piece;
      if (progress) progress(m.body.size());
      if (!read_line(fd, buf, line)) return std::nullopt;
    }
  }
  if (m.has("Content-Length")) {
    auto n = std::strtoull(m.field("Content-Length").c_str(), nullptr, 10);
    if (!read_exactly(fd, buf, n, m.body, progress)) return std::nullopt;
    return m;
  }
  if (!is_response) return m;
  m.body = std::move(buf); // delimited by the end of the connection
  buf.clear();
  while (fill(fd, m.body))
    if (progress) progress(m.body.size());
  return m;
}

bool send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// -- scripted_origin -------------------------------------------------------------------------

int listen_loopback(int& port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::listen(fd, 16);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port = ntohs(addr.sin_port);
  return fd;
}

scripted_origin::scripted_origin(handler h) : handler_(std::move(h)) {
  listener_ = listen_loopback(port_);
  acceptor_ = std::thread([this] { accept_loop(); });
}

scripted_origin::~scripted_origin() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
  }
  ::shutdown(listener_, SHUT_RDWR);
  ::close(listener_);
  acceptor_.join();
  for (auto& t : workers_) t.join();
}

std::vector<raw_message> scripted_origin::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

int scripted_origin::connections() const {
  std::lock_guard lock(mu_);
  return connections_;
}

void scripted_origin::accept_loop() {
  for (;;) {
    int fd = ::accept(listener_, nullptr, nullptr);
    if (fd < 0) return;
    std::lock_guard lock(mu_);
    if (stopping_) {
      ::close(fd);
      return;
    }
    ++connections_;
    open_fds_.push_back(fd);
    workers_.emplace_back([this, fd] { serve(fd); });
  }
}

void scripted_origin::serve(int fd) {
  set_timeout(fd, std::chrono::seconds(15));
  std::string buf;
  for (;;) {
    auto req = read_message(fd, buf, false);
    if (!req) break;
    {
      std::lock_guard lock(mu_);
      requests_.push_back(*req);
    }
    if (!handler_(*req, fd)) break;
  }
  ::shutdown(fd, SHUT_RDWR);
  std::lock_guard lock(mu_);
  ::close(fd);
  for (auto it = open_fds_.begin(); it != open_fds_.end(); ++it)
    if (*it == fd) {
      open_fds_.erase(it);
      break;
    }
}

// -- raw_client ----------------------------------------------------------------------------

raw_client::raw_client(int port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  set_timeout(fd_, std::chrono::seconds(15));
}

raw_client::~raw_client() { ::close(fd_); }

bool raw_client::send(std::string_view bytes) { return send_all(fd_, bytes); }

std::optional<raw_message> raw_client::response(bool head_request, const std::function<void(std::size_t)>& progress) {
  return read_message(fd_, buffered_, true, head_request, progress);
}

bool raw_client::closed_by_peer(std::chrono::milliseconds wait) {
  auto until = std::chrono::steady_clock::now() + wait;
  while (std::chrono::steady_clock::now() < until) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    char c[4096];
    ssize_t n = ::recv(fd_, c, sizeof c, 0);
    if (n <= 0) return true;
  }
  return false;
}

std::string request_bytes(std::string_view method, std::string_view target, const std::vector<std::string>& fields,
                          std::optional<std::string_view> body) {
  std::string out = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\n";
  bool host = false;
  for (auto& f : fields) {
    out += f + "\r\n";
    host = host || iequal(std::string_view(f).substr(0, 5), "Host:");
  }
  if (!host) out += "Host: 127.0.0.1\r\n";
  if (body) out += "Content-Length: " + std::to_string(body->size()) + "\r\n";
  out += "\r\n";
  if (body) out += *body;
  return out;
}

} // namespace mpk::test
