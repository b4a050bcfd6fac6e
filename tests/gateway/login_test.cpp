// AppChallenge → AppLogin against the real gateway on 127.0.0.1 (docs/spec/appwebsocket.md §2):
// right and wrong digests, a challenge replayed on another connection, licences, and garbage.

#include "common/actors/atoms.hpp"
#include "common/actors/system_config.hpp"
#include "common/actors/ws_bridge.hpp"
#include "common/crypto/login_digest.hpp"
#include "common/net/io_runtime.hpp"
#include "services/gateway/gateway.hpp"
#include "tests/sim/ws_client.hpp"

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>
#include <catch2/catch.hpp>

#include <thread>

using namespace mpk;
using test::json_doc;
using test::ws_client;
using namespace std::chrono_literals;

namespace {

using namespace std::chrono_literals;
constexpr const char* guid = "0123456789abcdef0123456789abcdef";
constexpr const char* pbx_info_text =
  R"({"appobj":"myphonekeys","appdn":"myPhoneKeys","appurl":"http://127.0.0.1/t1.example.com/mpk/innovaphone-myphonekeys","pbx":"pbx-main","cn":"myphonekeys","apps":[]})";

struct fixture {
  net::io_runtime io{1};
  system_config cfg;
  caf::actor_system sys{cfg};
  std::unique_ptr<gateway::gateway> gw;

  fixture() {
    gateway::gateway_options o;
    o.port = 0;
    o.password = "instance-pw";
    o.domain_passwords["t1.example.com"] = "tenant1-pw";
    o.operator_password = "op-pw";
    o.max_message_bytes = 64 * 1024;
    std::string err;
    gw = gateway::gateway::start(sys, io, o, nullptr, nullptr, err);
    REQUIRE(gw);
  }
  ~fixture() {
    gw->stop(); // closes every connection: their actors quit
    gw->drain(5s);
    gw.reset();
    io.stop();
    // A close handshake still in flight when the network stops must not hang the test's exit.
    sys.await_actors_before_shutdown(false);
  }
  std::string url() const { return "ws://127.0.0.1:" + std::to_string(gw->port()) + "/t1.example.com/mpk"; }
  std::shared_ptr<ws_client> open() {
    std::string err;
    auto c = ws_client::open(io, url(), &err);
    INFO(err);
    REQUIRE(c);
    return c;
  }
};

using json_doc_ptr = std::unique_ptr<json_doc>;

std::string challenge_of(ws_client& c) {
  c.send_text(R"({"mt":"AppChallenge"})");
  auto r = c.next_mt("AppChallengeResult");
  REQUIRE(r);
  return json_doc(*r).str("challenge");
}

std::string login_frame(const std::string& app, const std::string& domain, const std::string& sip,
                        const std::string& pbx_obj, const std::optional<std::string>& info, const std::string& digest) {
  std::string m = R"({"mt":"AppLogin","src":"s1","app":")" + app + R"(","domain":")" + domain + R"(","sip":")" + sip +
                  R"(","guid":")" + guid + R"(","dn":"Test","digest":")" + digest + "\"";
  if (!pbx_obj.empty()) m += R"(,"pbxObj":")" + pbx_obj + "\"";
  if (info) m += ",\"info\":" + *info;
  return m + "}";
}

std::string digest_for(const std::string& app, const std::string& domain, const std::string& sip,
                       const std::optional<std::string>& info, const std::string& challenge, const std::string& pw) {
  return crypto::login_digest({app, domain, sip, guid, "Test", info}, challenge, pw);
}

/// A PBX's AppLogin (no pbxObj, info as the PBX sends it) with a digest over `challenge` and `password`.
std::string pbx_login(const std::string& challenge, const std::string& password,
                      const std::string& domain = "t1.example.com") {
  std::string info = pbx_info_text;
  return login_frame("innovaphone-myphonekeys", domain, "myphonekeys", "", info,
                     digest_for("innovaphone-myphonekeys", domain, "myphonekeys", info, challenge, password));
}

/// Logs in as a PBX on a fresh challenge and returns the AppLoginResult.
json_doc_ptr login_as_pbx(ws_client& c, const std::string& password) {
  c.send_text(pbx_login(challenge_of(c), password));
  auto r = c.next_mt("AppLoginResult");
  REQUIRE(r);
  return std::make_unique<json_doc>(*r);
}

const std::string zero_guid(32, '0');

/// The AppLogin of the SDK's Connection.js with a password (docs/spec/appwebsocket.md §5.3): app = sip = name,
/// domain as given, guid zeros, dn "Admin", no info, and pbxObj = name (unless `with_pbx_obj` is false).
std::string sdk_password_login(const std::string& name, const std::string& domain, const std::string& challenge,
                               const std::string& password, bool with_pbx_obj = true) {
  auto digest = crypto::login_digest({name, domain, name, zero_guid, "Admin", std::nullopt}, challenge, password);
  std::string m = R"({"mt":"AppLogin","app":")" + name + R"(","domain":")" + domain + R"(","sip":")" + name +
                  R"(","guid":")" + zero_guid + R"(","dn":"Admin","digest":")" + digest + "\"";
  if (with_pbx_obj) m += R"(,"pbxObj":")" + name + "\"";
  return m + "}";
}

/// Sends a password login on a fresh challenge; returns the AppLoginResult.
json_doc_ptr password_login(ws_client& c, const std::string& name, const std::string& password,
                            const std::string& domain = "", bool with_pbx_obj = true) {
  c.send_text(sdk_password_login(name, domain, challenge_of(c), password, with_pbx_obj));
  auto r = c.next_mt("AppLoginResult");
  REQUIRE(r);
  return std::make_unique<json_doc>(*r);
}

/// GetSession's scope of a logged-in connection, as "all", "tenant:<name>" plus the login kind.
std::string scope_of(ws_client& c) {
  c.send_text(R"({"mt":"GetSession","src":"s"})");
  auto s = c.next_mt("GetSessionResult");
  REQUIRE(s);
  auto b = s->find(R"("scope":{)");
  REQUIRE(b != std::string::npos);
  return s->substr(b + 8, s->find('}', b) - b - 7);
}

} // namespace

TEST_CASE("gateway: a PBX login with the right digest is accepted and src is echoed") {
  fixture f;
  auto c = f.open();
  auto ch = challenge_of(*c);
  CHECK(ch.size() == 16);
  c->send_text(pbx_login(ch, "tenant1-pw"));
  auto r = c->next_mt("AppLoginResult");
  REQUIRE(r);
  json_doc d(*r);
  CHECK(d.boolean("ok") == true);
  CHECK(d.str("src") == "s1");
  CHECK(d.str("domain") == "example.com");
}

TEST_CASE("gateway: the instance password works when no domain password is configured") {
  fixture f;
  auto c = f.open();
  auto ch = challenge_of(*c);
  c->send_text(pbx_login(ch, "instance-pw", "other.example.com"));
  auto r = c->next_mt("AppLoginResult");
  REQUIRE(r);
  CHECK(json_doc(*r).boolean("ok") == true);
}

TEST_CASE("gateway: a wrong digest is refused, the connection closed, and others keep working") {
  fixture f;
  auto bad = f.open();
  auto d = login_as_pbx(*bad, "wrong");
  CHECK(d->boolean("ok") == false);
  CHECK(d->str("error") == "LOGIN_FAILURE");
  CHECK(bad->wait_closed());

  auto good = f.open();
  CHECK(login_as_pbx(*good, "tenant1-pw")->boolean("ok") == true);
}

TEST_CASE("gateway: a challenge replayed on another connection is refused") {
  fixture f;
  auto a = f.open();
  auto b = f.open();
  auto challenge_a = challenge_of(*a);
  auto challenge_b = challenge_of(*b);
  REQUIRE(challenge_a != challenge_b);
  // B presents a digest bound to A's challenge: a captured login cannot be replayed elsewhere.
  b->send_text(pbx_login(challenge_a, "tenant1-pw"));
  auto r = b->next_mt("AppLoginResult");
  REQUIRE(r);
  CHECK(json_doc(*r).boolean("ok") == false);
}

TEST_CASE("gateway: a challenge is good for one AppLogin only") {
  fixture f;
  auto c = f.open();
  auto ch = challenge_of(*c);
  c->send_text(pbx_login(ch, "wrong"));
  REQUIRE(c->next_mt("AppLoginResult"));
  CHECK(c->wait_closed());
  // The challenge is spent: the same frame with the right password on a new connection fails too.
  auto again = f.open();
  challenge_of(*again);
  again->send_text(pbx_login(ch, "tenant1-pw"));
  auto r = again->next_mt("AppLoginResult");
  REQUIRE(r);
  CHECK(json_doc(*r).boolean("ok") == false);
}

TEST_CASE("gateway: an unlicensed user is refused with UNLICENSED, test mode lets the user in") {
  fixture f;
  std::string unlicensed =
    R"({"appobj":"myphonekeys","appdn":"myPhoneKeys","appurl":"x","pbx":"pbx-main","cn":"Guest","unlicensed":true,"groups":[],"apps":[]})";
  auto c = f.open();
  auto ch = challenge_of(*c);
  c->send_text(
    login_frame("innovaphone-myphonekeys", "t1.example.com", "guest", "myphonekeys", unlicensed,
                digest_for("innovaphone-myphonekeys", "t1.example.com", "guest", unlicensed, ch, "tenant1-pw")));
  auto r = c->next_mt("AppLoginResult");
  REQUIRE(r);
  json_doc d(*r);
  CHECK(d.boolean("ok") == false);
  CHECK(d.str("error") == "UNLICENSED");

  std::string testmode =
    R"({"appobj":"myphonekeys","appdn":"myPhoneKeys","appurl":"x","pbx":"pbx-main","cn":"Guest","unlicensed":true,"testmode":true,"groups":[],"apps":[]})";
  auto t = f.open();
  auto ch2 = challenge_of(*t);
  t->send_text(
    login_frame("innovaphone-myphonekeys", "t1.example.com", "guest", "myphonekeys", testmode,
                digest_for("innovaphone-myphonekeys", "t1.example.com", "guest", testmode, ch2, "tenant1-pw")));
  auto r2 = t->next_mt("AppLoginResult");
  REQUIRE(r2);
  CHECK(json_doc(*r2).boolean("ok") == true);
}

TEST_CASE("gateway: operator password login only with the configured operator password") {
  fixture f;
  auto c = f.open();
  auto ch = challenge_of(*c);
  // docs/spec/appwebsocket.md §5.3: app = sip = name, domain "", guid zeros, dn "Admin", no info.
  std::string zeros(32, '0');
  auto digest = crypto::login_digest({"admin", "", "admin", zeros, "Admin", std::nullopt}, ch, "op-pw");
  c->send_text(R"({"mt":"AppLogin","app":"admin","domain":"","sip":"admin","guid":")" + zeros +
               R"(","dn":"Admin","digest":")" + digest + "\"}");
  auto r = c->next_mt("AppLoginResult");
  REQUIRE(r);
  CHECK(json_doc(*r).boolean("ok") == true);
  c->send_text(R"({"mt":"GetSession","src":7})");
  auto s = c->next_mt("GetSessionResult");
  REQUIRE(s);
  json_doc sd(*s);
  CHECK(sd.integer("src") == 7);
  CHECK(sd.boolean("operator") == true);
}

TEST_CASE("gateway: garbage before login gets clear errors and the server keeps serving") {
  fixture f;
  auto c = f.open();
  for (auto garbage : {"not json", "[1,2]", "\"text\"", "{}", R"({"mt":5})", R"({"mt":"GetDomains"})"}) {
    c->send_text(garbage);
    auto r = c->next(3s);
    REQUIRE(r);
    json_doc d(r->data);
    INFO(garbage << " -> " << r->data);
    CHECK((d.str("error") == "BAD_FRAME" || d.str("error") == "NOT_LOGGED_IN"));
  }
  CHECK_FALSE(c->closed());
  // An oversize frame closes that connection (1009) ...
  c->send_text("{\"mt\":\"AppChallenge\",\"pad\":\"" + std::string(100 * 1024, 'x') + "\"}");
  CHECK(c->wait_closed());
  // ... and nothing else: a new connection logs in.
  auto next = f.open();
  CHECK(login_as_pbx(*next, "tenant1-pw")->boolean("ok") == true);
}

TEST_CASE("gateway: websocket upgrades only on the instance paths, files and health over HTTP") {
  fixture f;
  std::string err;
  auto wrong = ws_client::open(f.io, "ws://127.0.0.1:" + std::to_string(f.gw->port()) + "/a/b/c/d", &err);
  CHECK_FALSE(wrong);
  auto app_url = ws_client::open(f.io, f.url() + "/innovaphone-myphonekeys", &err);
  CHECK(app_url);
}

TEST_CASE("gateway: after the shutdown began, a websocket that completes its handshake is closed at once") {
  fixture f;
  // The server still accepts (as in the moment between close_all and the acceptor's stop): the
  // late connection must not stay open, waiting for its login timeout.
  f.gw->context().connections.close_all("service shutting down");
  auto c = f.open();
  CHECK(c->wait_closed(5s)); // the login timeout is 30 s
}

TEST_CASE("gateway: the request right after AppLoginResult reaches the session, login after login") {
  // The session takes the connection over before it sends AppLoginResult; before that fix the
  // login gate could still own the socket when a fast client's next frame came, which was lost.
  fixture f;
  std::string zeros(32, '0');
  for (int i = 0; i < 100; ++i) {
    auto c = f.open();
    auto ch = challenge_of(*c);
    auto digest = crypto::login_digest({"admin", "", "admin", zeros, "Admin", std::nullopt}, ch, "op-pw");
    c->send_text(R"({"mt":"AppLogin","app":"admin","domain":"","sip":"admin","guid":")" + zeros +
                 R"(","dn":"Admin","digest":")" + digest + "\"}");
    REQUIRE(c->next_mt("AppLoginResult"));
    c->send_text(R"({"mt":"GetSession","src":)" + std::to_string(i) + "}");
    auto s = c->next_mt("GetSessionResult");
    INFO("login " << i);
    REQUIRE(s);
    CHECK(json_doc(*s).integer("src") == i);
  }
}

TEST_CASE("ws_bridge: frames go to the owner it was handed to, a close before the handover is not lost") {
  system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor first{sys}, second{sys};
  auto bridge = make_ws_bridge(caf::actor{first});
  bridge->on_message("one", false);
  first->receive([](atom::ws_text, const std::string& s) { CHECK(s == "one"); });
  bridge->retarget(caf::actor{second});
  bridge->on_message("two", false);
  second->receive([](atom::ws_text, const std::string& s) { CHECK(s == "two"); });
  // The socket closes while the connection changes hands: the next owner still learns it.
  bridge->on_close("closed by peer");
  second->receive([](atom::ws_closed, const std::string& why) { CHECK(why == "closed by peer"); });
  caf::scoped_actor third{sys};
  bridge->retarget(caf::actor{third});
  bool told = false;
  third->receive([&](atom::ws_closed, const std::string& why) { told = why == "closed by peer"; },
                 caf::after(std::chrono::seconds(5)) >> [] {});
  CHECK(told);
}

TEST_CASE("gateway: the SDK's password login, with and without pbxObj, logs the operator in for every tenant") {
  fixture f;
  for (bool with_pbx_obj : {true, false}) {
    auto c = f.open();
    auto r = password_login(*c, "admin", "op-pw", "", with_pbx_obj);
    INFO("pbxObj sent: " << with_pbx_obj);
    CHECK(r->boolean("ok") == true);
    CHECK(r->str("src") == "");
    CHECK(scope_of(*c) == R"({"allTenants":true,"login":"operator"})");
  }
}

TEST_CASE("gateway: a tenant's App object password at its own URL logs in for that tenant only") {
  fixture f;
  auto c = f.open(); // /t1.example.com/mpk; t1 has its own password
  REQUIRE(password_login(*c, "anyone", "tenant1-pw")->boolean("ok") == true);
  CHECK(scope_of(*c) == R"({"tenant":"t1.example.com","login":"appPassword"})");
  // The shared password does not open a tenant that has its own.
  auto shared = f.open();
  auto r = password_login(*shared, "anyone", "instance-pw");
  CHECK(r->boolean("ok") == false);
  CHECK(r->str("error") == "LOGIN_FAILURE");
  CHECK(shared->wait_closed());
  // Nor does tenant 1's password open another tenant's URL.
  std::string err;
  auto other = ws_client::open(f.io, "ws://127.0.0.1:" + std::to_string(f.gw->port()) + "/t2.example.com/mpk", &err);
  REQUIRE(other);
  CHECK(password_login(*other, "anyone", "tenant1-pw")->str("error") == "LOGIN_FAILURE");
}

TEST_CASE("gateway: the shared password opens only the URL of a PBX that linked, as that PBX's tenant") {
  fixture f;
  const std::string base = "ws://127.0.0.1:" + std::to_string(f.gw->port());
  std::string err;
  auto early = ws_client::open(f.io, base + "/t3.example.com/mpk", &err);
  REQUIRE(early);
  auto r = password_login(*early, "admin3", "instance-pw");
  CHECK(r->boolean("ok") == false);
  CHECK(r->str("error") == "NO_PBX");
  CHECK(r->str("errorText") == "no PBX of t3.example.com is linked to this App Service");

  // PBX t3 links with the shared password and announces itself.
  auto pbx = ws_client::open(f.io, base + "/t3.example.com/mpk", &err);
  REQUIRE(pbx);
  pbx->send_text(pbx_login(challenge_of(*pbx), "instance-pw", "t3.example.com"));
  REQUIRE(pbx->next_mt("AppLoginResult"));
  pbx->send_text(R"({"mt":"PbxInfo","domain":"t3.example.com","pbx":"pbx3","apis":[]})");

  bool in = false;
  for (int i = 0; i < 50 && !in; ++i) { // the directory learns the PBX asynchronously
    auto c = ws_client::open(f.io, base + "/T3.example.com/mpk", &err);
    REQUIRE(c);
    auto res = password_login(*c, "admin3", "instance-pw");
    if (res->boolean("ok") == true) {
      in = true;
      CHECK(scope_of(*c) == R"({"tenant":"t3.example.com","login":"appPassword"})");
    } else {
      CHECK(res->str("error") == "NO_PBX");
      std::this_thread::sleep_for(20ms);
    }
  }
  CHECK(in);
}

TEST_CASE("gateway: a password login that names another domain than its URL is refused") {
  fixture f;
  auto c = f.open();
  auto r = password_login(*c, "anyone", "tenant1-pw", "t2.example.com");
  CHECK(r->str("error") == "WRONG_APP_OBJECT");
  CHECK(c->wait_closed());
}

TEST_CASE(
  "gateway: malformed AppLogins get LOGIN_FAILURE with the reason, the connection closes, nothing else changes") {
  fixture f;
  auto logged_in = f.open();
  REQUIRE(login_as_pbx(*logged_in, "tenant1-pw")->boolean("ok") == true);
  const std::string user_info = R"({"appobj":"myphonekeys","appurl":"x","cn":"u"})";
  struct bad_case {
    std::string frame, reason;
  };
  auto frame_for = [&](const std::string& ch, int which) {
    switch (which) {
      case 0: // info but no pbxObj, from a user (sip is not the App object)
        return login_frame(
          "innovaphone-myphonekeys", "t1.example.com", "user1", "", user_info,
          digest_for("innovaphone-myphonekeys", "t1.example.com", "user1", user_info, ch, "tenant1-pw"));
      case 1: // pbxObj but an empty digest
        return login_frame("innovaphone-myphonekeys", "t1.example.com", "user1", "myphonekeys", user_info, "");
      case 2: { // a guid that is not 32 hex digits
        auto m =
          login_frame("innovaphone-myphonekeys", "t1.example.com", "user1", "myphonekeys", user_info,
                      digest_for("innovaphone-myphonekeys", "t1.example.com", "user1", user_info, ch, "tenant1-pw"));
        return m.replace(m.find(guid), 32, "not-a-guid");
      }
      default: // info that is not an object
        return login_frame(
          "innovaphone-myphonekeys", "t1.example.com", "user1", "myphonekeys", std::string("\"x\""),
          digest_for("innovaphone-myphonekeys", "t1.example.com", "user1", std::string("\"x\""), ch, "tenant1-pw"));
    }
  };
  const char* reasons[] = {"info but without pbxObj", "without a digest", "guid must be 32 hex digits",
                           "info must be a JSON object"};
  for (int i = 0; i < 4; ++i) {
    auto c = f.open();
    c->send_text(frame_for(challenge_of(*c), i));
    auto r = c->next_mt("AppLoginResult");
    REQUIRE(r);
    json_doc d(*r);
    INFO(reasons[i] << ": " << *r);
    CHECK(d.boolean("ok") == false);
    CHECK(d.str("error") == "LOGIN_FAILURE");
    CHECK(d.str("errorText").find(reasons[i]) != std::string::npos);
    CHECK(c->wait_closed());
  }
  // The PBX link that was up stays up and answers.
  logged_in->send_text(R"({"mt":"KeepAlive","src":"k"})");
  CHECK(logged_in->next_mt("KeepAlive"));
  CHECK(login_as_pbx(*f.open(), "tenant1-pw")->boolean("ok") == true);
}

TEST_CASE("gateway: AppCheckLogin tests an App object password without logging in") {
  fixture f;
  auto check = [](const std::string& app, const std::string& domain, const std::string& password) {
    const std::string challenge = "1234567890";
    auto digest = crypto::login_digest({app, domain, "", "", "", std::nullopt}, challenge, password);
    return R"({"mt":"AppCheckLogin","src":"chk","app":")" + app + R"(","domain":")" + domain + R"(","challenge":")" +
           challenge + R"(","digest":")" + digest + "\"}";
  };
  auto c = f.open();
  c->send_text(check("myphonekeys", "", "instance-pw"));
  auto r = c->next_mt("AppCheckLoginResult");
  REQUIRE(r);
  CHECK(json_doc(*r).boolean("ok") == true);
  CHECK(json_doc(*r).str("src") == "chk");
  // A tenant's own password, named by its domain.
  c->send_text(check("myphonekeys", "t1.example.com", "tenant1-pw"));
  r = c->next_mt("AppCheckLoginResult");
  REQUIRE(r);
  CHECK(json_doc(*r).boolean("ok") == true);
  c->send_text(check("myphonekeys", "", "wrong"));
  r = c->next_mt("AppCheckLoginResult");
  REQUIRE(r);
  CHECK(json_doc(*r).boolean("ok") == false);
  // The check logs nobody in: the connection still needs AppChallenge and AppLogin.
  c->send_text(R"({"mt":"GetSession","src":1})");
  auto s = c->next_mt("GetSessionResult");
  REQUIRE(s);
  CHECK(json_doc(*s).str("error") == "NOT_LOGGED_IN");
  CHECK(login_as_pbx(*c, "tenant1-pw")->boolean("ok") == true);

  // Guessing: the third wrong answer on one connection closes it.
  auto g = f.open();
  for (int i = 0; i < 3; ++i) {
    g->send_text(check("myphonekeys", "", "guess" + std::to_string(i)));
    auto a = g->next_mt("AppCheckLoginResult");
    REQUIRE(a);
    CHECK(json_doc(*a).boolean("ok") == false);
  }
  CHECK(g->wait_closed());
}
