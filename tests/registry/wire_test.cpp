// A devices_link against a scripted Devices API server on 127.0.0.1: garbage frames, a push
// after the load, a drop in the middle of a chunked list — the model is only ever replaced by a
// complete list, and the reconnect emits only the differences.

#include "common/actors/atoms.hpp"
#include "common/actors/system_config.hpp"
#include "common/json/envelope.hpp"
#include "common/net/io_runtime.hpp"
#include "common/net/server.hpp"
#include "services/registry/registry.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

using namespace mpk;
using namespace std::chrono_literals;

namespace {

std::string device(int id, const std::string& name) {
  return R"({"id":)" + std::to_string(id) + R"(,"hwId":"0090330000)" + (id < 16 ? "0" : "") +
         [&] {
           char b[8];
           std::snprintf(b, sizeof b, "%x", id);
           return std::string(b);
         }() +
         R"(","name":")" + name + R"(","domainId":1,"product":"IP222","version":"13r3","type":"PHONE","online":true})";
}

/// Session 1: a full list (with garbage between the chunks) and a push; it stays until the test
/// drops it. Session 2: half a list, then the connection drops. Session 3 and later: a full list
/// with changes (9 and 10 gone, 20 new).
class scripted_session final : public net::connection_handler {
public:
  scripted_session(int n, std::function<void(net::connection_ptr)> keep) : n_(n), keep_(std::move(keep)) {}
  void on_open(const net::connection_ptr& c) override {
    conn_ = c;
    keep_(c);
  }
  void on_close(std::string) override { conn_.reset(); }
  void on_message(std::string data, bool) override {
    json::envelope_errc e{};
    auto env = parser_.parse(data, e);
    auto c = conn_.lock();
    if (!env || !c) return;
    auto mt = env->mt();
    std::string src = R"(,"src":")" + std::string(env->src()) + "\"";
    if (mt == "AppChallenge") return c->send_text(R"({"mt":"AppChallengeResult","challenge":"1234567890"})");
    if (mt == "AppLogin") return c->send_text(R"({"mt":"AppLoginResult","ok":true})");
    if (mt == "GetUserInfo")
      return c->send_text(R"({"mt":"GetUserInfoResult")" + src + R"(,"key":"key)" + std::to_string(n_) +
                          R"(","admin":true})");
    if (mt == "GetDomains")
      return c->send_text(R"({"mt":"GetDomainsResult")" + src + R"(,"domains":[{"id":1,"name":"Main"}],"last":true})");
    if (mt != "GetDevices") return;
    auto head = R"({"mt":"GetDevicesResult")" + src + R"(,"devices":[)";
    if (n_ == 1) {
      std::string first = head, second = head;
      for (int i = 1; i <= 5; ++i) first += (i > 1 ? "," : "") + device(i, "dev " + std::to_string(i));
      for (int i = 6; i <= 10; ++i) second += (i > 6 ? "," : "") + device(i, "dev " + std::to_string(i));
      c->send_text(first + R"(],"last":false})");
      c->send_text("%%% not json");
      c->send_text(R"({"mt":"SomethingNew","x":1})");
      c->send_text(second + R"(],"last":true})");
      c->send_text(R"({"mt":"DeviceUpdate","device":"broken"})");
      c->send_text(R"({"mt":"DeviceUpdate","device":)" + device(2, "pushed") + "}");
      return;
    }
    if (n_ == 2) {
      // Devices 4..10 missing so far: applied, this would remove them. It must not be applied.
      c->send_text(head + device(1, "half") + "," + device(2, "half") + "," + device(3, "half") + R"(],"last":false})");
      c->close(1011, "crashed in the middle of a list");
      return;
    }
    std::string all = head;
    for (int i = 1; i <= 8; ++i)
      all += (i > 1 ? "," : "") + device(i, i == 3 ? "renamed while down" : "dev " + std::to_string(i));
    all += "," + device(20, "new while down");
    c->send_text(all + R"(],"last":true})");
  }

private:
  int n_;
  std::function<void(net::connection_ptr)> keep_;
  std::weak_ptr<net::connection> conn_; ///< weak: the connection owns this handler
  json::envelope_parser parser_;
};

pbx_link_actor::behavior_type any_login_pbx(pbx_link_actor::pointer, std::string domain) {
  return {
    [=](atom::svc_login, const std::string& app, const std::string&) {
      service_login l;
      l.app = app;
      l.domain = domain;
      l.digest = "0";
      return l;
    },
  };
}

} // namespace

TEST_CASE("wire: garbage is ignored and a list cut short never replaces the model") {
  net::io_runtime server_rt{1}, io{1};
  std::atomic<int> sessions{0};
  std::mutex m;
  net::connection_ptr first;
  net::server_routes routes;
  routes.upgrade = [&](const net::http_request_info&) -> net::handler_ptr {
    int n = ++sessions;
    return std::make_shared<scripted_session>(n, [&, n](net::connection_ptr c) {
      if (n == 1) {
        std::lock_guard<std::mutex> g(m);
        first = std::move(c);
      }
    });
  };
  routes.http = [](const net::http_request_info&, net::http_responder r) { r(net::http_reply::text(404, "")); };
  std::string err;
  auto srv = net::server::start(server_rt, {}, routes, err);
  REQUIRE(srv);

  {
    system_config cfg;
    caf::actor_system sys{cfg};
    registry::registry_options o;
    o.io = &io;
    o.backoff_min = 50ms;
    o.backoff_max = 200ms;
    o.stale_grace = 0ms; // stale at once when the session drops (the grace period has its own tests)
    auto reg = registry::spawn_registry(sys, o);
    auto pbx = sys.spawn(any_login_pbx, std::string("example.com"));
    caf::scoped_actor self{sys};
    self->request(reg, 5s, atom::subscribe_v, device_query{}, std::uint64_t{0})
      .receive([](const device_page&) {}, [](const caf::error&) {});
    pbx_info info;
    info.tenant = "t";
    info.services.push_back(
      {"devices-api", "Devices", "ws://127.0.0.1:" + std::to_string(srv->port()) + "/d/devices", true});
    self->send(reg, atom::pbx_up_v, info, pbx);

    std::vector<device_delta> deltas;
    std::map<std::string, device_record> model;
    auto apply = [&](const device_delta& d) {
      deltas.push_back(d);
      for (auto& r : d.added) model[r.id] = r;
      for (auto& r : d.changed) model[r.id] = r;
      for (auto& r : d.removed) model.erase(r.id);
    };
    auto wait_for = [&](auto pred) {
      bool ok = pred();
      auto end = std::chrono::steady_clock::now() + 20s;
      while (!ok && std::chrono::steady_clock::now() < end) {
        self->receive([&](const device_delta& d) { apply(d); }, caf::after(100ms) >> [] {});
        ok = pred();
      }
      return ok;
    };
    // Session 1: ten devices, the push applied, the garbage ignored.
    REQUIRE(wait_for([&] { return model.size() == 10 && model["t/devices-api:2"].name == "pushed"; }));
    for (auto& [id, r] : model) CHECK_FALSE(r.stale);

    // Drop session 1: session 2 breaks off in the middle of its list, session 3 completes.
    {
      std::lock_guard<std::mutex> g(m);
      REQUIRE(first);
      first->close(1012, "restart");
    }
    REQUIRE(wait_for([&] { return model.count("t/devices-api:20") == 1; }));
    CHECK(sessions >= 3);
    CHECK(model.size() == 9);
    CHECK(model["t/devices-api:3"].name == "renamed while down");
    CHECK(model["t/devices-api:1"].name == "dev 1"); // "half" from the broken list never showed
    for (auto& [id, r] : model) CHECK_FALSE(r.stale);

    // Only 9 and 10 were ever removed: the half list removed nothing.
    std::set<std::string> removed;
    bool saw_stale = false;
    for (auto& d : deltas) {
      for (auto& r : d.removed) removed.insert(r.id);
      for (auto& r : d.changed) saw_stale = saw_stale || r.stale;
      for (auto& r : d.changed) CHECK(r.name != "half");
    }
    CHECK(removed == std::set<std::string>{"t/devices-api:9", "t/devices-api:10"});
    CHECK(saw_stale); // while down, the devices were marked stale

    std::string status;
    self->request(reg, 5s, atom::status_v).receive([&](const std::string& s) { status = s; }, [](const caf::error&) {});
    CHECK(status.find(R"("state":"up")") != std::string::npos);
    CHECK(status.find(R"("devices":9)") != std::string::npos);
    self->send_exit(reg, caf::exit_reason::user_shutdown);
    self->send_exit(pbx, caf::exit_reason::user_shutdown);
  }
  io.stop();
  srv->stop();
  server_rt.stop();
}
