// The server's reverse-proxy exchange (common/net/http_proxy.hpp) between a raw-socket client and
// a scripted origin on 127.0.0.1: which fields cross, which stay on their leg, bodies streamed
// both ways (the client reads before the origin has written everything), the upload limit,
// masking of secrets in bodies, one retry, and the relay's own errors.

#include "common/net/io_runtime.hpp"
#include "common/net/server.hpp"
#include "tests/net/raw_http.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <thread>

using namespace mpk;
using namespace mpk::test;
using namespace std::chrono_literals;

namespace {

/// A body of `n` bytes whose content shows where each byte belongs.
std::string pattern(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7 + i / 4096) % 26);
  return s;
}

/// A relay in front of `origin`: every request goes there with the client's fields; `edit`
/// adjusts the plan per test.
struct relay_fixture {
  net::io_runtime io{2};
  std::shared_ptr<net::server> server;
  std::vector<net::proxy_outcome> outcomes;
  std::mutex mu;

  relay_fixture(int origin_port, std::function<void(net::proxy_plan&)> edit = {}) {
    net::server_routes routes;
    routes.http = [](const net::http_request_info&, net::http_responder respond) {
      respond(net::http_reply::text(404, "not relayed\n"));
    };
    routes.proxy = [this, origin_port, edit](const net::http_request_info& head, const net::proxy_relay_ptr& relay) {
      if (head.target.rfind("/local", 0) == 0) return false; // served by routes.http
      net::proxy_plan plan;
      plan.url = "http://127.0.0.1:" + std::to_string(origin_port) + head.target;
      plan.headers = head.headers;
      plan.max_request_body = 4 << 20;
      plan.timeout = 5s;
      plan.on_done = [this](const net::proxy_outcome& o) {
        std::lock_guard lock(mu);
        outcomes.push_back(o);
      };
      if (edit) edit(plan);
      relay->forward(std::move(plan));
      return true;
    };
    net::server_options so;
    so.host = "127.0.0.1";
    std::string err;
    server = net::server::start(io, so, std::move(routes), err);
    REQUIRE(server);
  }
  ~relay_fixture() {
    server->stop();
    io.stop();
  }
  int port() const { return server->port(); }
  /// The outcomes so far, once there are `n` (on_done runs just after the last byte went out).
  std::vector<net::proxy_outcome> done(std::size_t n) {
    for (auto until = std::chrono::steady_clock::now() + 5s; std::chrono::steady_clock::now() < until;) {
      {
        std::lock_guard lock(mu);
        if (outcomes.size() >= n) return outcomes;
      }
      std::this_thread::sleep_for(10ms);
    }
    std::lock_guard lock(mu);
    return outcomes;
  }
};

bool answer(int fd, const std::string& head_lines, std::string_view body) {
  return send_all(fd, "HTTP/1.1 " + head_lines + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n") &&
         send_all(fd, body);
}

} // namespace

TEST_CASE("proxy: end-to-end fields pass both ways, hop-by-hop fields stay on their leg, the connection is kept") {
  scripted_origin origin([](const raw_message& req, int fd) {
    if (req.target() == "/cached")
      return send_all(fd, "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nContent-Length: 0\r\n\r\n");
    return answer(fd,
                  "206 Partial Content\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-9/100\r\n"
                  "WWW-Authenticate: Digest realm=\"phone\", nonce=\"n1\", qop=\"auth\"\r\n"
                  "Set-Cookie: a=1; Path=/\r\nSet-Cookie: b=2; Path=/x\r\nLocation: /next\r\n"
                  "Content-Disposition: attachment; filename=\"f.txt\"\r\nCache-Control: private, max-age=5\r\n"
                  "ETag: \"v1\"\r\nLast-Modified: Tue, 01 Jul 2026 10:00:00 GMT\r\nAccept-Ranges: bytes\r\n"
                  "Connection: X-Resp-Hop\r\nX-Resp-Hop: 1\r\nKeep-Alive: timeout=1\r\n"
                  "Proxy-Authenticate: Basic realm=\"p\"\r\nTrailer: X-T\r\n",
                  "0123456789");
  });
  relay_fixture relay(origin.port());
  raw_client c(relay.port());
  REQUIRE(c.send(request_bytes("GET", "/page?x=1",
                               {"Authorization: Digest username=\"admin\"", "Cookie: s=1; t=2", "If-None-Match: \"v0\"",
                                "If-Modified-Since: Tue, 01 Jul 2026 09:00:00 GMT", "Range: bytes=0-9",
                                "X-Custom: kept", "Connection: keep-alive, X-Hop", "X-Hop: gone",
                                "Keep-Alive: timeout=5", "TE: trailers", "Proxy-Authorization: Basic c2VjcmV0"})));
  auto r = c.response();
  REQUIRE(r);
  INFO(r->head_text());
  CHECK(r->status() == 206);
  CHECK(r->body == "0123456789");
  for (auto name : {"Content-Range", "WWW-Authenticate", "Location", "Content-Disposition", "Cache-Control", "ETag",
                    "Last-Modified", "Accept-Ranges", "Content-Type"})
    CHECK(r->has(name));
  CHECK(r->all("Set-Cookie") == std::vector<std::string>{"a=1; Path=/", "b=2; Path=/x"});
  for (auto name : {"X-Resp-Hop", "Keep-Alive", "Proxy-Authenticate", "Trailer"}) CHECK_FALSE(r->has(name));

  auto reqs = origin.requests();
  REQUIRE(reqs.size() == 1);
  auto& up = reqs[0];
  INFO(up.head_text());
  CHECK(up.target() == "/page?x=1");
  CHECK(up.field("Host") == "127.0.0.1:" + std::to_string(origin.port()));
  for (auto name : {"Authorization", "Cookie", "If-None-Match", "If-Modified-Since", "Range", "X-Custom"})
    CHECK(up.has(name));
  CHECK(up.field("Cookie") == "s=1; t=2");
  for (auto name : {"X-Hop", "Keep-Alive", "TE", "Proxy-Authorization"}) CHECK_FALSE(up.has(name));

  // The same client connection carries the next request: a 304 has no body.
  REQUIRE(c.send(request_bytes("GET", "/cached", {"If-None-Match: \"v1\""})));
  auto again = c.response();
  REQUIRE(again);
  CHECK(again->status() == 304);
  CHECK(again->field("ETag") == "\"v1\"");
  CHECK(again->body.empty());
  // A route that declines leaves the request to the plain HTTP handler, on the same connection.
  REQUIRE(c.send(request_bytes("GET", "/local", {})));
  auto local = c.response();
  REQUIRE(local);
  CHECK(local->status() == 404);
  CHECK(local->body == "not relayed\n");
}

TEST_CASE("proxy: a download streams: the client has the first megabyte before the origin sends the rest") {
  constexpr std::size_t total = 8 << 20, first = 1 << 20;
  const auto body = pattern(total);
  std::promise<void> client_has_first;
  auto go_on = client_has_first.get_future().share();
  std::atomic<bool> rest_waited{false};
  scripted_origin origin([&](const raw_message& req, int fd) {
    std::string_view b = body;
    bool chunked = req.target() == "/chunked";
    std::string head =
      chunked
        ? "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n"
        : "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + std::to_string(total) +
            "\r\n\r\n";
    send_all(fd, head);
    send_all(fd, b.substr(0, first));
    // The rest only once the client has read the first megabyte through the relay.
    rest_waited = go_on.wait_for(20s) == std::future_status::ready;
    send_all(fd, b.substr(first));
    return !chunked;
  });
  relay_fixture relay(origin.port());
  // Reads `target` through the relay; lets the origin go on once half of the first megabyte is here.
  auto download = [&](const std::string& target) {
    client_has_first = {};
    go_on = client_has_first.get_future().share();
    raw_client c(relay.port());
    REQUIRE(c.send(request_bytes("GET", target, {})));
    bool signalled = false;
    auto r = c.response(false, [&](std::size_t got) {
      if (!signalled && got >= first / 2) {
        signalled = true;
        client_has_first.set_value();
      }
    });
    REQUIRE(r);
    CHECK(rest_waited);
    CHECK(r->body == body);
    return *r;
  };
  auto whole = download("/backup.cfg");
  CHECK(whole.field("Content-Length") == std::to_string(total));
  // Without a length from the origin (the end of its body is the end of its connection) the
  // client gets the same bytes chunked.
  CHECK(download("/chunked").chunked);
  auto outcomes = relay.done(2);
  REQUIRE(outcomes.size() == 2);
  CHECK(outcomes[1].complete);
  CHECK(outcomes[1].response_bytes == total);
}

TEST_CASE("proxy: uploads stream through up to the limit, a larger one gets 413, also when it is chunked") {
  scripted_origin origin([](const raw_message& req, int fd) {
    return answer(fd, "200 OK\r\nContent-Type: text/plain\r\n", "got " + std::to_string(req.body.size()));
  });
  relay_fixture relay(origin.port()); // limit 4 MiB
  const auto upload = pattern(3 << 20);
  {
    raw_client c(relay.port());
    REQUIRE(c.send(request_bytes("POST", "/upload", {"Content-Type: application/octet-stream"}, upload)));
    auto r = c.response();
    REQUIRE(r);
    CHECK(r->body == "got " + std::to_string(upload.size()));
    REQUIRE(origin.requests().size() == 1);
    CHECK(origin.requests()[0].body == upload);
  }
  {
    // Announced too large: refused before anything reaches the origin.
    raw_client c(relay.port());
    REQUIRE(c.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5242880\r\n\r\n"));
    auto r = c.response();
    REQUIRE(r);
    CHECK(r->status() == 413);
    CHECK(r->field("Connection") == "close");
    CHECK(origin.requests().size() == 1);
  }
  {
    // Chunked, no length announced: refused once the bytes pass the limit.
    raw_client c(relay.port());
    REQUIRE(c.send("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
    std::thread writer([&] {
      const std::string piece = pattern(256 << 10);
      char size[32];
      std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
      for (int i = 0; i < 24; ++i)
        if (!send_all(c.fd(), size + piece + "\r\n")) break; // 6 MiB, unless the relay closes first
    });
    auto r = c.response();
    writer.join();
    REQUIRE(r);
    CHECK(r->status() == 413);
  }
  auto outcomes = relay.done(3);
  REQUIRE(outcomes.size() == 3);
  CHECK(outcomes[0].request_bytes == upload.size());
  CHECK(outcomes[1].status == 413);
  CHECK(outcomes[2].status == 413);
  CHECK(outcomes[2].request_bytes <= (4u << 20) + (64u << 10));
}

TEST_CASE("proxy: secrets are masked in bodies, also when split across pieces, and the length stays") {
  const std::string key = "0e6ff4c7-7a88-40c4-98eb-8c91903933e6";
  scripted_origin origin([&](const raw_message&, int fd) {
    std::string body = "<a href=\"/x/passthrough/" + key + "/cfg\">cfg</a> and " + key.substr(0, 10);
    std::string tail = key.substr(10) + " end";
    send_all(fd, "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: " +
                   std::to_string(body.size() + tail.size()) + "\r\n\r\n");
    send_all(fd, body);
    std::this_thread::sleep_for(50ms); // the key's second half arrives as a piece of its own
    send_all(fd, tail);
    return true;
  });
  relay_fixture relay(origin.port(), [&](net::proxy_plan& p) { p.redact = {key, "/x/passthrough/"}; });
  raw_client c(relay.port());
  REQUIRE(c.send(request_bytes("GET", "/missing", {})));
  auto r = c.response();
  REQUIRE(r);
  CHECK(r->status() == 404);
  CHECK(r->body.find(key.substr(0, 8)) == std::string::npos);
  CHECK(r->body.find("passthrough") == std::string::npos);
  CHECK(r->body == "<a href=\"" + std::string(15, '*') + std::string(key.size(), '*') + "/cfg\">cfg</a> and " +
                     std::string(key.size(), '*') + " end");
}

TEST_CASE("proxy: a bodiless request may be sent once more with other fields, one with a body may not") {
  scripted_origin origin([](const raw_message& req, int fd) {
    if (req.field("Authorization") != "let me in")
      return answer(fd, "401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"p\"\r\n", "who?");
    return answer(fd, "200 OK\r\n", "welcome");
  });
  relay_fixture relay(origin.port(), [](net::proxy_plan& p) {
    auto fields = p.headers;
    p.on_response = [fields](int status, net::header_fields&, bool may_retry) -> std::optional<net::header_fields> {
      if (status != 401 || !may_retry) return std::nullopt;
      auto again = fields;
      again.emplace_back("Authorization", "let me in");
      return again;
    };
  });
  raw_client c(relay.port());
  REQUIRE(c.send(request_bytes("GET", "/admin", {})));
  auto r = c.response();
  REQUIRE(r);
  CHECK(r->status() == 200);
  CHECK(r->body == "welcome");
  CHECK(origin.requests().size() == 2);
  REQUIRE(c.send(request_bytes("POST", "/admin", {}, std::string_view("x=1"))));
  auto post = c.response();
  REQUIRE(post);
  INFO(post->body);
  CHECK(post->status() == 401);
  CHECK(post->field("WWW-Authenticate") == "Basic realm=\"p\"");
  CHECK(origin.requests().size() == 3);
}

TEST_CASE("proxy: an unreachable or silent upstream gets 502 or 504 without its address, 100-continue is answered") {
  int closed_port = 0;
  {
    scripted_origin gone([](const raw_message&, int) { return false; });
    closed_port = gone.port();
  }
  relay_fixture dead(closed_port);
  raw_client c(dead.port());
  REQUIRE(c.send(request_bytes("GET", "/", {})));
  auto r = c.response();
  REQUIRE(r);
  CHECK(r->status() == 502);
  CHECK(r->body.find(std::to_string(closed_port)) == std::string::npos);
  CHECK(r->body.find("127.0.0.1") == std::string::npos);

  std::promise<void> release;
  auto released = release.get_future().share();
  scripted_origin silent([&](const raw_message& req, int fd) {
    if (req.method() == "PUT") return answer(fd, "201 Created\r\n", req.body);
    released.wait_for(10s);
    return false;
  });
  relay_fixture slow(silent.port(), [](net::proxy_plan& p) { p.timeout = 300ms; });
  raw_client s(slow.port());
  REQUIRE(s.send(request_bytes("GET", "/", {})));
  auto t = s.response();
  release.set_value();
  REQUIRE(t);
  CHECK(t->status() == 504);

  // A client that waits for 100 Continue before its body gets it from the relay.
  raw_client e(slow.port());
  REQUIRE(e.send("PUT /f HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"));
  auto cont = e.response();
  REQUIRE(cont);
  CHECK(cont->status() == 100);
  REQUIRE(e.send("hello"));
  auto created = e.response();
  REQUIRE(created);
  CHECK(created->status() == 201);
  CHECK(created->body == "hello");
}
