// The simulated PBX against a small App service played by the test, over real websockets on 127.0.0.1.
#include "common/crypto/login_digest.hpp"
#include "common/crypto/random.hpp"
#include "common/crypto/session_key.hpp"
#include "common/json/envelope.hpp"
#include "common/net/io_runtime.hpp"
#include "common/net/server.hpp"
#include "sim/pbx/pbx_sim.hpp"

#include <catch2/catch.hpp>

#include <condition_variable>
#include <map>
#include <mutex>

using namespace mpk;
using namespace std::chrono_literals;

namespace {

constexpr std::string_view service_challenge = "1111222233334444";

/// What the product side saw; shared by the connections of the test server.
struct product_probe {
  std::mutex m;
  std::condition_variable cv;
  std::string password = "app-secret"; ///< the App object password the product expects
  int challenges = 0, logins_ok = 0, logins_refused = 0, keepalives = 0;
  std::vector<std::string> mts; ///< mt of every frame received, in order
  std::string login_frame, pbx_info, services_info;
  std::map<std::string, std::string> results_by_src; ///< api results, by src
  std::string link_key;                              ///< session key of the last successful PBX login
  std::string target;                                ///< upgrade target of the last connection
  net::connection_ptr conn;                          ///< last logged-in connection

  template <class Pred>
  bool wait(Pred pred, std::chrono::seconds limit = 15s) {
    std::unique_lock<std::mutex> lock{m};
    return cv.wait_for(lock, limit, [&] { return pred(); });
  }
};

/// The product's App service, reduced to what a PBX link needs.
class product_side final : public net::connection_handler {
public:
  explicit product_side(std::shared_ptr<product_probe> probe) : probe_(std::move(probe)) {}

  void on_open(const net::connection_ptr& conn) override { conn_ = conn; }

  void on_message(std::string data, bool) override {
    json::envelope_errc err{};
    auto* e = parser_.parse(data, err);
    if (!e) return; // (no Catch assertions on Asio threads; the waits in the test fail instead)
    auto conn = conn_.lock();
    if (!conn) return;
    std::unique_lock<std::mutex> lock{probe_->m};
    probe_->mts.emplace_back(e->mt());
    const auto mt = e->mt();
    if (mt == "AppChallenge") {
      challenge_ = crypto::make_challenge();
      ++probe_->challenges;
      conn->send_text(R"({"mt":"AppChallengeResult","challenge":")" + challenge_ + "\"}");
    } else if (mt == "AppLogin") {
      probe_->login_frame = data;
      crypto::login_fields f{std::string(e->string("app").value_or("")), std::string(e->string("domain").value_or("")),
                             std::string(e->string("sip").value_or("")), std::string(e->string("guid").value_or("")),
                             std::string(e->string("dn").value_or("")),  std::nullopt};
      std::optional<std::string> info;
      if (auto raw = e->raw("info")) info = std::string(*raw);
      bool ok = !challenge_.empty() &&
                crypto::verify_login_digest(f, info, challenge_, probe_->password, e->string("digest").value_or(""));
      if (ok) {
        ++probe_->logins_ok;
        probe_->link_key = crypto::session_key(challenge_, probe_->password);
        probe_->conn = conn;
        conn->send_text(R"({"mt":"AppLoginResult","ok":true,"domain":"tenant1.example.com"})");
      } else {
        ++probe_->logins_refused;
        conn->send_text(R"({"mt":"AppLoginResult","ok":false})");
        conn->close(1008, "login refused");
      }
    } else if (mt == "PbxInfo") {
      probe_->pbx_info = data;
      if (e->raw("apis").value_or("").find("\"Services\"") != std::string_view::npos)
        conn->send_text(R"({"api":"Services","mt":"SubscribeServices","src":"sub"})");
    } else if (mt == "AppInfo") {
      conn->send_text(R"({"mt":"AppInfoResult"})");
    } else if (mt == "ServicesInfo") {
      probe_->services_info = data;
      // Log in to the first service through the PBX, and try one that is not granted.
      auto name = std::string(e->root()["services"].at(0)["name"].get_string().value_unsafe());
      conn->send_text(R"({"api":"Services","mt":"GetServiceLogin","src":"gsl","app":")" + name + R"(","challenge":")" +
                      std::string(service_challenge) + "\"}");
      conn->send_text(
        R"({"api":"Services","mt":"GetServiceLogin","src":"gsl-unknown","app":"not-granted","challenge":"1"})");
    } else if (mt == "KeepAlive") {
      ++probe_->keepalives;
    } else if (e->has_src()) {
      probe_->results_by_src[std::string(e->src())] = data;
    }
    lock.unlock();
    probe_->cv.notify_all();
  }

  void on_close(std::string) override { conn_.reset(); }

private:
  std::shared_ptr<product_probe> probe_;
  json::envelope_parser parser_;
  /// Weak: the connection owns this handler; a strong reference would keep both alive for ever
  /// when the Asio threads stop before the close completes.
  std::weak_ptr<net::connection> conn_;
  std::string challenge_;
};

/// A running product side and a PBX configured to connect to it.
struct fixture {
  net::io_runtime rt{2};
  std::shared_ptr<product_probe> probe = std::make_shared<product_probe>();
  std::shared_ptr<net::server> server;
  std::shared_ptr<sim::pbx_sim> pbx;

  fixture() {
    net::server_routes routes;
    routes.http = [](const net::http_request_info&, net::http_responder respond) {
      respond(net::http_reply::text(404, "no"));
    };
    routes.upgrade = [p = probe](const net::http_request_info& req) -> net::handler_ptr {
      {
        std::lock_guard<std::mutex> guard{p->m};
        p->target = req.target;
      }
      return std::make_shared<product_side>(p);
    };
    std::string error;
    server = net::server::start(rt, net::server_options{}, routes, error);
    REQUIRE(server);
    sim::pbx_config c;
    c.system_name = "tenant1.example.com";
    c.pbx_name = "pbx-main";
    c.product_url = "ws://127.0.0.1:" + std::to_string(server->port()) + "/tenant1.example.com/myphonekeys";
    c.app_object = "myphonekeys";
    c.app_dn = "myPhoneKeys";
    c.app_guid = "0123456789abcdef0123456789abcdef";
    c.app_password = "app-secret";
    c.app_url =
      "http://127.0.0.1:" + std::to_string(server->port()) + "/tenant1.example.com/myphonekeys/innovaphone-myphonekeys";
    c.services.push_back({"devices-api", "Devices", "ws://127.0.0.1:9/dev.example.com/devices", "dev-secret"});
    pbx = std::make_shared<sim::pbx_sim>(rt, c);
  }

  ~fixture() {
    pbx->stop();
    server->stop();
    {
      std::lock_guard<std::mutex> guard{probe->m};
      if (probe->conn) probe->conn->close(1000, "test over");
      probe->conn.reset();
    }
    rt.stop();
  }

  /// Polls a condition that is not signalled through the probe (the PBX's own state).
  template <class Pred>
  static bool eventually(Pred pred) {
    for (int i = 0; i < 1500; ++i) {
      if (pred()) return true;
      std::this_thread::sleep_for(10ms);
    }
    return pred();
  }
};

} // namespace

TEST_CASE("link: PBX logs in, sends PbxInfo with Services and answers GetServiceLogin", "[sim_pbx][net]") {
  fixture fx;
  CHECK(fx.pbx->state() == "down (not started)");
  fx.pbx->start();
  auto& p = *fx.probe;
  REQUIRE(p.wait([&] { return p.results_by_src.count("gsl") && p.results_by_src.count("gsl-unknown"); }));
  CHECK(fixture::eventually([&] { return fx.pbx->state() == "logged-in"; }));

  std::lock_guard<std::mutex> guard{p.m};
  CHECK(p.target == "/tenant1.example.com/myphonekeys");
  CHECK(p.logins_ok == 1);
  CHECK(p.logins_refused == 0);
  // Order of a real PBX: challenge, login, then PbxInfo and AppInfo.
  REQUIRE(p.mts.size() >= 4);
  CHECK(std::vector<std::string>(p.mts.begin(), p.mts.begin() + 4) ==
        std::vector<std::string>{"AppChallenge", "AppLogin", "PbxInfo", "AppInfo"});

  json::envelope_parser parser;
  json::envelope_errc err{};
  auto* login = parser.parse(p.login_frame, err);
  REQUIRE(login);
  CHECK(login->string("app") == std::optional<std::string_view>("innovaphone-myphonekeys"));
  CHECK(login->string("sip") == std::optional<std::string_view>("myphonekeys"));
  CHECK_FALSE(login->has("pbxObj"));

  auto* info = parser.parse(p.pbx_info, err);
  REQUIRE(info);
  CHECK(info->string("domain") == std::optional<std::string_view>("tenant1.example.com"));
  CHECK(info->raw("apis") == std::optional<std::string_view>(R"(["Services","PbxApi"])"));

  auto* services = parser.parse(p.services_info, err);
  REQUIRE(services);
  CHECK(services->src() == "sub");
  CHECK(services->raw("services").value_or("").find(R"("info":{"com.innovaphone.devices":{}})") !=
        std::string_view::npos);
  CHECK(p.mts.end() != std::find(p.mts.begin(), p.mts.end(), "SubscribeServicesResult"));

  auto* r = parser.parse(p.results_by_src["gsl"], err);
  REQUIRE(r);
  CHECK(r->mt() == "GetServiceLoginResult");
  CHECK_FALSE(r->has("error"));
  crypto::login_fields f{std::string(*r->string("app")), std::string(*r->string("domain")),
                         std::string(*r->string("sip")), std::string(*r->string("guid")),
                         std::string(*r->string("dn")),  std::nullopt};
  CHECK(f.app == "devices-api");
  CHECK(f.domain == "tenant1.example.com");
  CHECK(r->string("pbxObj") == std::optional<std::string_view>("myphonekeys"));
  std::string raw_info(*r->raw("info"));
  std::string digest(*r->string("digest"));
  CHECK(crypto::verify_login_digest(f, raw_info, service_challenge, "dev-secret", digest));
  CHECK_FALSE(crypto::verify_login_digest(f, raw_info, service_challenge, "app-secret", digest));
  auto inner = crypto::decrypt(*r->string("salt"), *r->string("key"), p.link_key);
  REQUIRE(inner);
  CHECK(*inner == crypto::session_key(service_challenge, "dev-secret"));

  auto* unknown = parser.parse(p.results_by_src["gsl-unknown"], err);
  REQUIRE(unknown);
  CHECK(unknown->string("error") == std::optional<std::string_view>("unknown service"));
  CHECK_FALSE(unknown->has("digest"));

  CHECK(fx.pbx->stats().logins == 1);
  CHECK(fx.pbx->stats().service_logins == 1);
  CHECK(fx.pbx->stats().reconnects == 0);
}

TEST_CASE("link: KeepAlive is answered and unknown messages get error results", "[sim_pbx][net]") {
  fixture fx;
  fx.pbx->start();
  auto& p = *fx.probe;
  REQUIRE(p.wait([&] { return p.conn && p.results_by_src.count("gsl"); }));
  {
    std::lock_guard<std::mutex> guard{p.m};
    p.conn->send_text(R"({"mt":"KeepAlive"})");
    p.conn->send_text(R"({"api":"PbxSignal","mt":"Initialize","src":"u1"})");
    p.conn->send_text(R"({"mt":"Whatever","src":"u2"})");
    p.conn->send_text(R"({"api":"Services","mt":"UnsubscribeServices","src":"u3"})");
  }
  REQUIRE(p.wait([&] {
    return p.keepalives >= 1 && p.results_by_src.count("u1") && p.results_by_src.count("u2") &&
           p.results_by_src.count("u3");
  }));
  std::lock_guard<std::mutex> guard{p.m};
  CHECK(p.results_by_src["u1"].find(R"({"mt":"InitializeResult","api":"PbxSignal","src":"u1","error":)") == 0);
  CHECK(p.results_by_src["u2"].find(R"({"mt":"WhateverResult","src":"u2","error":"unknown message")") == 0);
  CHECK(p.results_by_src["u3"] == R"({"mt":"UnsubscribeServicesResult","api":"Services","src":"u3"})");
}

TEST_CASE("link: a refused login is retried with backoff until the password matches", "[sim_pbx][net]") {
  fixture fx;
  auto& p = *fx.probe;
  {
    std::lock_guard<std::mutex> guard{p.m};
    p.password = "not-the-app-password";
  }
  fx.pbx->start();
  REQUIRE(p.wait([&] { return p.logins_refused >= 2; }));
  CHECK(fx.pbx->stats().logins == 0);
  CHECK(fx.pbx->stats().reconnects >= 1);
  CHECK(fx.pbx->state() != "logged-in");
  {
    std::lock_guard<std::mutex> guard{p.m};
    CHECK(p.logins_ok == 0);
    p.password = "app-secret";
  }
  REQUIRE(p.wait([&] { return p.logins_ok == 1; }));
  CHECK(fixture::eventually([&] { return fx.pbx->state() == "logged-in"; }));
  CHECK(fx.pbx->stats().logins == 1);
}

TEST_CASE("link: drop_link reconnects and logs in again", "[sim_pbx][net]") {
  fixture fx;
  auto& p = *fx.probe;
  fx.pbx->start();
  REQUIRE(p.wait([&] { return p.results_by_src.count("gsl") == 1; }));
  REQUIRE(fixture::eventually([&] { return fx.pbx->state() == "logged-in"; }));
  {
    std::lock_guard<std::mutex> guard{p.m};
    p.results_by_src.clear();
  }
  fx.pbx->drop_link();
  // The new link does everything again: challenge, login, PbxInfo, Services, service login.
  REQUIRE(p.wait([&] { return p.logins_ok == 2 && p.results_by_src.count("gsl") == 1; }));
  CHECK(fixture::eventually([&] { return fx.pbx->state() == "logged-in"; }));
  auto s = fx.pbx->stats();
  CHECK(s.logins == 2);
  CHECK(s.reconnects == 1);
  CHECK(s.service_logins == 2);
  std::lock_guard<std::mutex> guard{p.m};
  CHECK(p.challenges == 2);
}

TEST_CASE("link: stop ends the link and a PBX without product stays down", "[sim_pbx][net]") {
  fixture fx;
  auto& p = *fx.probe;
  fx.pbx->start();
  REQUIRE(p.wait([&] { return p.logins_ok == 1; }));
  fx.pbx->stop();
  CHECK(fx.pbx->state() == "down (stopped)");

  // Nobody listens on this port: the PBX reports why and keeps trying.
  sim::pbx_config c = fx.pbx->config();
  c.product_url = "ws://127.0.0.1:9/nowhere";
  auto lonely = std::make_shared<sim::pbx_sim>(fx.rt, c);
  lonely->start();
  CHECK(fixture::eventually([&] { return lonely->stats().reconnects >= 1; }));
  // One read: between two reads the link may go from "connecting" to "down (...)".
  const std::string state = lonely->state();
  CHECK((state.rfind("down (", 0) == 0 || state == "connecting"));
  lonely->stop();
  CHECK(lonely->state() == "down (stopped)");
}
