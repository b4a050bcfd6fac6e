// The HTTP client's parked connections, against a plain-socket HTTP/1.1 server that counts the
// connections it accepted and the requests it read: GETs share one connection, a POST opens its
// own, a HEAD answer ends at its header, and a parked connection the server drops is replaced
// without the caller seeing an error.

#include "common/net/http_client.hpp"
#include "common/net/io_runtime.hpp"
#include "tests/net/raw_http.hpp"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <string>
#include <thread>
#include <vector>

using namespace mpk;
using namespace std::chrono_literals;

namespace {

/// A blocking HTTP/1.1 server, one thread per connection. With `drop_second`, every connection
/// answers its first request and closes on reading the second without an answer: the server
/// side of a keep-alive timeout that races with the client's next request.
class counting_server {
public:
  explicit counting_server(bool drop_second) : drop_second_(drop_second) {
    listener_ = test::listen_loopback(port_);
    acceptor_ = std::thread([this] { accept_loop(); });
  }

  ~counting_server() {
    stopping_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    acceptor_.join();
    for (auto& t : workers_) t.join();
  }

  int port() const { return port_; }
  int connections() const { return connections_.load(); }
  int requests() const { return requests_.load(); }

private:
  void accept_loop() {
    for (;;) {
      int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      ++connections_;
      workers_.emplace_back([this, fd] { serve(fd); });
    }
  }

  void serve(int fd) {
    std::string in;
    char chunk[4096];
    for (int served = 0; !stopping_;) {
      auto end = in.find("\r\n\r\n");
      if (end == std::string::npos) {
        ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) break;
        in.append(chunk, static_cast<std::size_t>(n));
        continue;
      }
      std::string head = in.substr(0, end);
      in.erase(0, end + 4);
      ++requests_;
      if (drop_second_ && served == 1) break; // closes without an answer
      std::string body = head.rfind("POST", 0) == 0 ? "posted" : "hello";
      std::string out =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
      if (head.rfind("HEAD", 0) != 0) out += body;
      ::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
      ++served;
      // A POST's body (Content-Length: 1 below) follows its header.
      if (head.rfind("POST", 0) == 0) {
        while (in.empty()) {
          ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
          if (n <= 0) break;
          in.append(chunk, static_cast<std::size_t>(n));
        }
        if (!in.empty()) in.erase(0, 1);
      }
    }
    ::close(fd);
  }

  bool drop_second_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0}, requests_{0};
  std::thread acceptor_;
  std::vector<std::thread> workers_; // only the acceptor thread adds; joined after it ended
};

net::http_fetch_result fetch_now(net::io_runtime& io, const std::string& method, const std::string& url,
                                 std::string body = {}, std::size_t max_body = 1 << 20) {
  net::http_fetch_request req;
  req.max_body_bytes = max_body;
  req.method = method;
  req.url = url;
  req.body = std::move(body);
  req.timeout = 5s;
  std::promise<net::http_fetch_result> p;
  auto f = p.get_future();
  net::fetch(io, req, [&p](net::http_fetch_result r) { p.set_value(std::move(r)); });
  REQUIRE(f.wait_for(10s) == std::future_status::ready);
  return f.get();
}

std::string url_of(const counting_server& server) {
  return "http://127.0.0.1:" + std::to_string(server.port()) + "/lcd";
}

/// Three GETs one after the other, each answered "hello".
void get_three_times(net::io_runtime& io, const std::string& url) {
  for (int i = 0; i < 3; ++i) {
    auto r = fetch_now(io, "GET", url);
    INFO("fetch " << i << ": " << r.error);
    REQUIRE(r.ok);
    CHECK(r.body == "hello");
  }
}

/// A server, a client runtime, and the three GETs both cases begin with.
struct after_three_gets {
  counting_server server;
  net::io_runtime io{1};
  std::string url = url_of(server);
  explicit after_three_gets(bool drop_second) : server(drop_second) { get_three_times(io, url); }
  ~after_three_gets() { io.stop(); }
};

} // namespace

TEST_CASE("net: GETs share one kept-alive connection, a POST opens its own, a HEAD ends at its header") {
  after_three_gets t{false};
  auto& [server, io, url] = t;
  CHECK(server.connections() == 1);
  CHECK(net::idle_http_connections(io) == 1);

  auto head = fetch_now(io, "HEAD", url);
  CHECK(head.ok);
  CHECK(head.body.empty());
  CHECK(server.connections() == 1);

  auto post = fetch_now(io, "POST", url, "k");
  CHECK(post.ok);
  CHECK(post.body == "posted");
  CHECK(server.connections() == 2); // never sent on a parked connection
  CHECK(server.requests() == 5);

  // An answer above the caller's limit is refused (its Content-Length says so at the header).
  auto big = fetch_now(io, "GET", url, {}, 3);
  CHECK_FALSE(big.ok);
  CHECK(big.error == "response too large");
}

TEST_CASE("net: a parked connection the server dropped is replaced without an error") {
  after_three_gets t{true};
  // Fetch 1 and 2 each found their parked connection dead at the answer and went again on a
  // fresh one: 3 connections, 5 requests read, 3 answered.
  CHECK(t.server.connections() == 3);
  CHECK(t.server.requests() == 5);
}
