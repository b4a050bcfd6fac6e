#include "tests/hostile/raw_ws.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace mpk::test {

namespace {
int ms_left(std::chrono::steady_clock::time_point deadline) {
  auto d = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
  return d < 0 ? 0 : static_cast<int>(d);
}
} // namespace

raw_ws::raw_ws(int port, const std::string& path, int rcvbuf) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return;
  setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<unsigned short>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return;
  std::string req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                    "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    "Sec-WebSocket-Version: 13\r\n\r\n";
  if (send(fd_, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size())) return;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (in_.find("\r\n\r\n") == std::string::npos)
    if (!fill(deadline)) return;
  auto end = in_.find("\r\n\r\n");
  ok_ = in_.rfind("HTTP/1.1 101", 0) == 0;
  in_.erase(0, end + 4);
}

raw_ws::~raw_ws() {
  if (fd_ >= 0) close(fd_);
}

bool raw_ws::fill(std::chrono::steady_clock::time_point deadline) {
  if (eof_) return false;
  pollfd p{fd_, POLLIN, 0};
  if (poll(&p, 1, ms_left(deadline)) <= 0) return false;
  char buf[16384];
  auto n = recv(fd_, buf, sizeof buf, 0);
  if (n <= 0) {
    eof_ = true;
    return false;
  }
  in_.append(buf, static_cast<std::size_t>(n));
  return true;
}

bool raw_ws::send_text(const std::string& payload, std::chrono::milliseconds timeout) {
  if (fd_ < 0) return false;
  std::string f;
  f += static_cast<char>(0x81);
  auto n = payload.size();
  if (n < 126) {
    f += static_cast<char>(0x80 | n);
  } else if (n < 65536) {
    f += static_cast<char>(0x80 | 126);
    f += static_cast<char>(n >> 8);
    f += static_cast<char>(n & 0xff);
  } else {
    f += static_cast<char>(0x80 | 127);
    for (int i = 7; i >= 0; --i) f += static_cast<char>((static_cast<std::uint64_t>(n) >> (8 * i)) & 0xff);
  }
  const unsigned char mask[4] = {0x12, 0x34, 0x56, 0x78};
  for (auto m : mask) f += static_cast<char>(m);
  for (std::size_t i = 0; i < n; ++i) f += static_cast<char>(payload[i] ^ mask[i % 4]);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::size_t sent = 0;
  while (sent < f.size()) {
    pollfd p{fd_, POLLOUT, 0};
    if (poll(&p, 1, ms_left(deadline)) <= 0 || (p.revents & (POLLERR | POLLHUP))) return false;
    auto k = send(fd_, f.data() + sent, f.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (k < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) continue;
      return false;
    }
    sent += static_cast<std::size_t>(k);
  }
  return true;
}

std::optional<raw_ws::frame> raw_ws::next(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (in_.size() >= 2) {
      auto b0 = static_cast<unsigned char>(in_[0]), b1 = static_cast<unsigned char>(in_[1]);
      std::size_t len = b1 & 0x7f, hdr = 2;
      if (len == 126 && in_.size() >= 4) {
        len = (static_cast<unsigned char>(in_[2]) << 8) | static_cast<unsigned char>(in_[3]);
        hdr = 4;
      } else if (len == 127 && in_.size() >= 10) {
        len = 0;
        for (int i = 0; i < 8; ++i) len = (len << 8) | static_cast<unsigned char>(in_[2 + i]);
        hdr = 10;
      } else if (len >= 126) {
        hdr = 0; // length not complete yet
      }
      if (hdr && in_.size() >= hdr + len) {
        frame f{b0 & 0x0f, in_.substr(hdr, len)};
        in_.erase(0, hdr + len);
        return f;
      }
    }
    if (!fill(deadline)) return std::nullopt;
  }
}

std::optional<std::string> raw_ws::next_containing(const std::string& needle, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (auto f = next(std::chrono::milliseconds(ms_left(deadline)))) {
    if (f->opcode == 8) return std::nullopt;
    if (f->opcode == 1 && f->payload.find(needle) != std::string::npos) return f->payload;
  }
  return std::nullopt;
}

std::optional<int> raw_ws::read_until_closed(std::chrono::milliseconds timeout, std::size_t* bytes) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::size_t total = 0;
  for (;;) {
    auto f = next(std::chrono::milliseconds(ms_left(deadline)));
    if (!f) {
      if (bytes) *bytes = total;
      if (eof_) return 0;
      return std::nullopt;
    }
    total += f->payload.size();
    if (f->opcode == 8) {
      if (bytes) *bytes = total;
      if (f->payload.size() >= 2)
        return (static_cast<unsigned char>(f->payload[0]) << 8) | static_cast<unsigned char>(f->payload[1]);
      return 0;
    }
  }
}

} // namespace mpk::test
