// What an outgoing TLS connection accepts of an App Platform's certificate, and the words it
// refuses with: an unknown CA or a wrong host name names the certificate's subject and SHA-256
// fingerprint; a pinned fingerprint is accepted whoever issued it, a changed certificate after a
// pin is refused; a server reloads its certificate for new connections while open ones go on.

#include "common/base/config.hpp"
#include "common/net/cert_text.hpp"
#include "common/net/client.hpp"
#include "common/net/http_client.hpp"
#include "common/net/io_runtime.hpp"
#include "common/net/server.hpp"
#include "common/net/tls_pins.hpp"
#include "sim/tls/throwaway_ca.hpp"
#include "tests/net/echo_handler.hpp"
#include "tests/sim/ws_client.hpp"
#include "tests/support/fetch_and_wait.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <unistd.h>
#include <fstream>

using namespace mpk;
using namespace std::chrono_literals;

namespace {

using echo = test::echo_handler;

/// A throw-away CA in a temporary directory and a server certificate from it.
struct site {
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("mpk-cert-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()));
  std::unique_ptr<sim::throwaway_ca> ca;
  sim::issued_certificate cert;
  explicit site(std::vector<std::string> names = {"localhost", "127.0.0.1"}) {
    std::filesystem::create_directories(dir);
    std::string err;
    ca = sim::throwaway_ca::create("test CA", (dir / "ca.pem").string(), err);
    REQUIRE(ca);
    REQUIRE(ca->issue(names, (dir / "server").string(), cert, err));
  }
  ~site() { std::filesystem::remove_all(dir); }
};

std::shared_ptr<net::server> serve(net::io_runtime& io, const site& s) {
  net::server_options o;
  o.tls_certificate_file = s.cert.cert_file;
  o.tls_key_file = s.cert.key_file;
  net::server_routes routes;
  routes.upgrade = [](const net::http_request_info&) -> net::handler_ptr { return std::make_shared<echo>(); };
  routes.http = [](const net::http_request_info&, net::http_responder r) { r(net::http_reply::text(200, "ok")); };
  std::string err;
  auto server = net::server::start(io, o, routes, err);
  REQUIRE(server);
  return server;
}

/// "" when a wss connection opened, else why it did not.
std::string wss_refusal(net::io_runtime& io, unsigned short port, net::tls_client_options tls) {
  std::string err;
  auto c = test::ws_client::open(io, "wss://127.0.0.1:" + std::to_string(port) + "/x", &err, 1 << 20, tls);
  return c ? std::string() : err;
}

/// "" when an https GET answered, else why it did not.
std::string https_refusal(net::io_runtime& io, unsigned short port, net::tls_client_options tls) {
  net::http_fetch_request req;
  req.url = "https://127.0.0.1:" + std::to_string(port) + "/x";
  req.tls = tls;
  req.headers.emplace_back("Connection", "close"); // each check its own handshake: nothing parked for the next
  auto r = test::fetch_and_wait(io, req);
  return r.ok ? std::string() : r.error;
}

net::tls_client_options trusting(const sim::throwaway_ca& ca) {
  net::tls_client_options o;
  o.ca_file = ca.ca_file();
  return o;
}

std::string words(std::string_view what, const sim::issued_certificate& c) {
  return std::string(what) + ": " + c.subject + ", SHA-256 fingerprint " + net::fingerprint_display(c.fingerprint);
}

} // namespace

TEST_CASE("cert text: pins as operators write them, fingerprints as browsers show them") {
  auto hex = std::string(64, 'a');
  CHECK(net::parse_pin("sha256/" + hex) == hex);
  CHECK(net::parse_pin(" SHA256/" + net::fingerprint_display(hex) + " ") == hex); // copied from a browser
  CHECK_FALSE(net::parse_pin(hex));                                               // no scheme
  CHECK_FALSE(net::parse_pin("sha256/" + hex.substr(2)));                         // too short
  CHECK_FALSE(net::parse_pin("sha256/" + hex.substr(1) + "g"));                   // not hex
  CHECK(net::fingerprint_display("0aff") == "0A:FF");
  CHECK(net::fingerprint_in("x: CN=a, SHA-256 fingerprint " + net::fingerprint_display(hex) + " (why)") == hex);
  CHECK(net::fingerprint_in("connection refused").empty());
}

TEST_CASE(
  "cert check: an unknown CA and a wrong host name are refused naming subject and fingerprint, over wss and https") {
  net::io_runtime io{1};
  site good;
  auto server = serve(io, good);
  auto refused = wss_refusal(io, server->port(), {});
  INFO(refused);
  CHECK(refused.find("TLS handshake with 127.0.0.1: " + words("certificate not trusted", good.cert)) !=
        std::string::npos);
  CHECK(https_refusal(io, server->port(), {}).find(words("certificate not trusted", good.cert)) != std::string::npos);
  CHECK(wss_refusal(io, server->port(), trusting(*good.ca)).empty());
  CHECK(https_refusal(io, server->port(), trusting(*good.ca)).empty());
  server->stop();

  site other_name({"devices.example.com"});
  server = serve(io, other_name);
  auto wrong = wss_refusal(io, server->port(), trusting(*other_name.ca));
  INFO(wrong);
  CHECK(wrong.find(words("certificate not valid for this host name 127.0.0.1", other_name.cert)) != std::string::npos);
  CHECK(https_refusal(io, server->port(), trusting(*other_name.ca)).find("not valid for this host name") !=
        std::string::npos);
  server->stop();
  io.stop();
}

TEST_CASE(
  "cert check: a pinned certificate is accepted without its CA, a changed one is refused, reload keeps open "
  "connections") {
  net::io_runtime io{2};
  site s({"devices.example.com"}); // neither a trusted CA nor the right name: only the pin counts
  auto server = serve(io, s);
  net::tls_client_options pinned;
  pinned.pin = s.cert.fingerprint;
  CHECK(wss_refusal(io, server->port(), pinned).empty());
  CHECK(https_refusal(io, server->port(), pinned).empty());
  std::string err;
  auto open =
    test::ws_client::open(io, "wss://127.0.0.1:" + std::to_string(server->port()) + "/x", &err, 1 << 20, pinned);
  REQUIRE(open);

  // The App Platform gets a new certificate; the server takes it for new connections (SIGHUP).
  auto before = s.cert;
  REQUIRE(s.ca->issue({"devices.example.com"}, (s.dir / "server").string(), s.cert, err));
  REQUIRE(server->reload_tls(err));
  auto changed = wss_refusal(io, server->port(), pinned);
  INFO(changed);
  CHECK(changed.find(words("certificate does not match the pinned fingerprint", s.cert) + " (pinned " +
                     net::fingerprint_display(before.fingerprint) + ")") != std::string::npos);
  CHECK(https_refusal(io, server->port(), pinned).find("does not match the pinned fingerprint") != std::string::npos);
  pinned.pin = s.cert.fingerprint;
  CHECK(wss_refusal(io, server->port(), pinned).empty());
  // The connection made before the reload still works.
  open->send_text("still here");
  auto back = open->next();
  REQUIRE(back);
  CHECK(back->data == "still here");

  // Bad files keep the certificate in force.
  std::ofstream(s.cert.key_file, std::ios::trunc) << "not a key";
  CHECK_FALSE(server->reload_tls(err));
  CHECK(err.find("cannot load") != std::string::npos);
  CHECK(wss_refusal(io, server->port(), pinned).empty());
  server->stop();
  io.stop();
}

TEST_CASE("tls pins: by link id, host:port or host, from configuration and the pin file the operator's action writes") {
  auto dir = std::filesystem::temp_directory_path() / ("mpk-pins-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto a = std::string(64, 'a'), b = std::string(64, 'b'), c = std::string(64, 'c');
  config::settings s("t", "t");
  net::tls_pins::declare(s);
  std::string msg, err;
  REQUIRE(s.set("tls.pin.devices.example.com", "sha256/" + a, msg));
  REQUIRE(s.set("tls.pin-file", (dir / "pins").string(), msg));
  net::tls_pins pins;
  REQUIRE(pins.load(s, err));
  CHECK(pins.lookup("t1/devices-api", "wss://devices.example.com:443/x/devices") == a); // by host
  CHECK(pins.lookup("t1/devices-api", "wss://other.example.com/x").empty());
  REQUIRE(pins.pin("t1/devices-api", b, err)); // by link id, written
  CHECK(pins.lookup("t1/devices-api", "wss://devices.example.com:443/x/devices") == b);
  net::tls_pins again;
  REQUIRE(again.load(s, err)); // survives a restart
  CHECK(again.lookup("t1/devices-api", "") == b);
  REQUIRE(again.pin("devices.example.com:8443", c, err));
  CHECK(again.lookup("t2/devices-api", "https://devices.example.com:8443/p") == c); // by host:port
  CHECK_FALSE(again.pin("bad\nkey", c, err));
  REQUIRE(s.set("tls.pin.x", "sha1/00", msg));
  CHECK_FALSE(again.load(s, err));
  CHECK(err.find("tls.pin.x") != std::string::npos);
  std::filesystem::remove_all(dir);
}
