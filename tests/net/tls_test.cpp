// wss with SNI and certificate verification: a trusted CA connects, an unknown certificate is
// refused, the lab switch connects anyway; plain ws and TLS share one port.

#include "common/net/client.hpp"
#include "common/net/http_client.hpp"
#include "common/net/io_runtime.hpp"
#include "common/net/server.hpp"
#include "tests/net/echo_handler.hpp"
#include "tests/sim/ws_client.hpp"

#include <catch2/catch.hpp>

#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <mutex>

using namespace mpk;
using namespace std::chrono_literals;

namespace {

using echo = test::echo_handler;

/// Fan-out plumbing: "parts" answers with one message from a prefix and a shared body;
/// "burst N" queues N frames of 64 KiB and asks to hear when the queue ran empty; "idle" asks
/// the same with nothing queued. on_drained answers "drained <bytes still queued>".
class fanout_probe : public net::connection_handler {
public:
  void on_open(const net::connection_ptr& c) override { conn_ = c; }
  void on_message(std::string data, bool) override {
    auto conn = conn_.lock();
    if (!conn) return;
    if (data == "parts") {
      conn->send_text_parts("{\"head\":1,", body_);
      conn->send_text_parts("{\"head\":2,", body_);
    } else if (data.rfind("burst ", 0) == 0) {
      for (int i = std::stoi(data.substr(6)); i > 0; --i) conn->send_text(std::string(64 * 1024, 'x'));
      conn->notify_when_drained();
    } else if (data == "idle") {
      conn->notify_when_drained();
    }
  }
  void on_close(std::string) override { conn_.reset(); }
  void on_drained() override {
    if (auto conn = conn_.lock()) conn->send_text("drained " + std::to_string(conn->queued_bytes()));
  }

private:
  /// Weak, as in `echo`: the connection owns this handler.
  std::weak_ptr<net::connection> conn_;
  std::shared_ptr<const std::string> body_ = std::make_shared<const std::string>("\"body\":\"shared\"}");
};

/// A handler that records how a client connection ended.
class probe : public net::connection_handler {
public:
  void on_open(const net::connection_ptr& c) override {
    std::lock_guard<std::mutex> g{m_};
    opened_ = true;
    c->close(1000, "done");
    cv_.notify_all();
  }
  void on_message(std::string, bool) override {}
  void on_close(std::string reason) override {
    std::lock_guard<std::mutex> g{m_};
    reason_ = reason;
    closed_ = true;
    cv_.notify_all();
  }
  /// true when it opened; else the reason it failed.
  std::pair<bool, std::string> wait() {
    std::unique_lock<std::mutex> l{m_};
    cv_.wait_for(l, 10s, [&] { return opened_ || closed_; });
    return {opened_, reason_};
  }

private:
  std::mutex m_;
  std::condition_variable cv_;
  bool opened_ = false, closed_ = false;
  std::string reason_;
};

struct tls_files {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("mpk-tls-" + std::to_string(std::rand()));
  std::string cert = (dir / "cert.pem").string(), key = (dir / "key.pem").string();
  tls_files() {
    std::filesystem::create_directories(dir);
    auto cmd =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -addext subjectAltName=DNS:localhost "
      "-keyout " +
      key + " -out " + cert + " >/dev/null 2>&1";
    REQUIRE(std::system(cmd.c_str()) == 0);
  }
  ~tls_files() { std::filesystem::remove_all(dir); }
};

std::shared_ptr<net::server> start_echo(net::io_runtime& io, const tls_files* tls) {
  net::server_options o;
  if (tls) {
    o.tls_certificate_file = tls->cert;
    o.tls_key_file = tls->key;
  }
  net::server_routes routes;
  routes.upgrade = [](const net::http_request_info&) -> net::handler_ptr { return std::make_shared<echo>(); };
  routes.http = [](const net::http_request_info&, net::http_responder r) { r(net::http_reply::text(200, "ok")); };
  std::string err;
  auto s = net::server::start(io, o, routes, err);
  REQUIRE(s);
  return s;
}

std::pair<bool, std::string> try_connect(net::io_runtime& io, const std::string& url, net::tls_client_options tls) {
  auto p = std::make_shared<probe>();
  net::client_options o;
  o.url = url;
  o.tls = tls;
  net::connect(io, o, p);
  return p->wait();
}

} // namespace

TEST_CASE("net: wss verifies the server certificate (SNI + host name), plain ws on the same port") {
  net::io_runtime io{1};
  tls_files files;
  auto server = start_echo(io, &files);
  auto wss = "wss://localhost:" + std::to_string(server->port()) + "/x";
  auto trusted = try_connect(io, wss, {files.cert, false, ""});
  CHECK(trusted.first);
  auto untrusted = try_connect(io, wss, {});
  CHECK_FALSE(untrusted.first);
  CHECK(untrusted.second.find("TLS handshake") != std::string::npos);
  auto lab = try_connect(io, wss, {"", true, ""});
  CHECK(lab.first);
  // The same port still speaks plain websockets.
  std::string err;
  auto plain = test::ws_client::open(io, "ws://127.0.0.1:" + std::to_string(server->port()) + "/x", &err);
  REQUIRE(plain);
  plain->send_text("hello");
  auto back = plain->next();
  REQUIRE(back);
  CHECK(back->data == "hello");
  server->stop();
  io.stop();
}

TEST_CASE("net: a frame above the limit closes only that connection") {
  net::io_runtime io{1};
  auto server = start_echo(io, nullptr);
  auto url = "ws://127.0.0.1:" + std::to_string(server->port()) + "/x";
  std::string err;
  auto big = test::ws_client::open(io, url, &err);
  auto other = test::ws_client::open(io, url, &err);
  REQUIRE(big);
  REQUIRE(other);
  big->send_text(std::string(2 << 20, 'x')); // the default limit is 1 MiB
  CHECK(big->wait_closed());
  other->send_text("still here");
  auto r = other->next();
  REQUIRE(r);
  CHECK(r->data == "still here");
  server->stop();
  io.stop();
}

TEST_CASE("net: a prefix and a shared body go out as one message, drained is told once the queue is empty") {
  net::io_runtime io{1};
  net::server_options o;
  net::server_routes routes;
  routes.upgrade = [](const net::http_request_info&) -> net::handler_ptr { return std::make_shared<fanout_probe>(); };
  routes.http = [](const net::http_request_info&, net::http_responder r) { r(net::http_reply::text(200, "ok")); };
  std::string err;
  auto server = net::server::start(io, o, routes, err);
  REQUIRE(server);
  auto c = test::ws_client::open(io, "ws://127.0.0.1:" + std::to_string(server->port()) + "/x", &err);
  REQUIRE(c);

  c->send_text("parts");
  auto one = c->next();
  auto two = c->next();
  REQUIRE(one);
  REQUIRE(two);
  CHECK(one->data == R"({"head":1,"body":"shared"})");
  CHECK(two->data == R"({"head":2,"body":"shared"})");

  // With nothing queued the notice comes at once.
  c->send_text("idle");
  auto idle = c->next();
  REQUIRE(idle);
  CHECK(idle->data == "drained 0");

  // With 4 MiB queued it comes only after the last of them was written.
  c->send_text("burst 64");
  int big = 0;
  std::optional<test::frame> f;
  while ((f = c->next()) && f->data.size() == 64 * 1024) ++big;
  CHECK(big == 64);
  REQUIRE(f);
  CHECK(f->data == "drained 0");
  CHECK_FALSE(c->next(200ms)); // once per request, not after every later write
  server->stop();
  io.stop();
}

TEST_CASE("net: an HTTP fetch reaches the server by address literal and by host name") {
  net::io_runtime io{1};
  auto server = start_echo(io, nullptr);
  auto port = std::to_string(server->port());
  // 127.0.0.1 connects without the resolver, localhost goes through it: both must answer.
  for (const std::string host : {"127.0.0.1", "localhost"}) {
    net::http_fetch_request req;
    req.url = "http://" + host + ":" + port + "/any";
    std::promise<net::http_fetch_result> p;
    auto f = p.get_future();
    net::fetch(io, req, [&p](net::http_fetch_result r) { p.set_value(std::move(r)); });
    REQUIRE(f.wait_for(10s) == std::future_status::ready);
    auto r = f.get();
    INFO(host << ": " << r.error);
    CHECK(r.ok);
    CHECK(r.status == 200);
    CHECK(r.body == "ok");
  }
  // A port the URL cannot have is refused before any connect.
  net::http_fetch_request bad;
  bad.url = "http://127.0.0.1:99999/any";
  std::promise<net::http_fetch_result> p;
  auto f = p.get_future();
  net::fetch(io, bad, [&p](net::http_fetch_result r) { p.set_value(std::move(r)); });
  REQUIRE(f.wait_for(10s) == std::future_status::ready);
  CHECK_FALSE(f.get().ok);
  server->stop();
  io.stop();
}
