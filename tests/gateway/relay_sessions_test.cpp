// The admin-UI relay sessions: one-time tickets, the cookie that binds a session to a browser,
// and the ends of a session (its app session gone past the grace, Unwatch, idle), on a clock the
// test moves.

#include "services/gateway/admin_ui/relay_sessions.hpp"

#include <catch2/catch.hpp>

using namespace mpk;
using namespace mpk::gateway;
using namespace std::chrono_literals;

namespace {

using clock_type = relay_sessions::clock;

relay_sessions::owner owner_of(std::uint64_t client, const std::string& tenant, const std::string& sip) {
  return relay_sessions::owner{client, actor_identity{tenant, "pbx-" + tenant, sip, sip}, {tenant}};
}

relay_sessions::opened open(relay_sessions& r, relay_sessions::owner by, const std::string& device,
                            const std::string& app, clock_type::time_point now) {
  auto t = r.issue(std::move(by), device, app, now);
  std::string why;
  auto o = r.redeem(t, app, now, why);
  REQUIRE(o);
  return *o;
}

} // namespace

TEST_CASE("relay sessions: a ticket opens one session once, under its own app path, within its life") {
  relay_sessions r({60s, 15min, 10s});
  auto now = clock_type::now();
  auto t = r.issue(owner_of(7, "t1", "admin1"), "dev:1", "/t1.example.com/myphonekeys", now);
  std::string why;
  auto o = r.redeem(t, "/t1.example.com/myphonekeys", now + 1s, why);
  REQUIRE(o);
  CHECK(o->device == "dev:1");
  CHECK(o->prefix == "/t1.example.com/myphonekeys/admin/" + o->id + "/");
  CHECK(o->id.size() == 16);
  CHECK(o->secret.size() == 32);
  CHECK_FALSE(r.redeem(t, "/t1.example.com/myphonekeys", now + 2s, why)); // the same URL again
  CHECK(why.find("used already") != std::string::npos);

  auto late = r.issue(owner_of(7, "t1", "admin1"), "dev:1", "/t1.example.com/myphonekeys", now);
  CHECK_FALSE(r.redeem(late, "/t1.example.com/myphonekeys", now + 61s, why));
  CHECK(why.find("expired") != std::string::npos);
  auto elsewhere = r.issue(owner_of(7, "t1", "admin1"), "dev:1", "/t1.example.com/myphonekeys", now);
  CHECK_FALSE(r.redeem(elsewhere, "/t2.example.com/myphonekeys", now, why));
  CHECK_FALSE(r.redeem(elsewhere, "/t1.example.com/myphonekeys", now, why)); // spent by the wrong try
  CHECK_FALSE(r.redeem("no-such-ticket", "/t1.example.com/myphonekeys", now, why));
  CHECK(r.live() == 1);
}

TEST_CASE("relay sessions: only the browser with the cookie, not another tenant's session cookie") {
  relay_sessions r({60s, 15min, 10s});
  auto now = clock_type::now();
  auto a = open(r, owner_of(1, "t1", "admin1"), "dev:1", "/t1/mpk", now);
  auto b = open(r, owner_of(2, "t2", "admin2"), "dev:9", "/t2/mpk", now);
  std::string why;
  auto v = r.use(a.id, a.secret, "/t1/mpk", now, why);
  REQUIRE(v);
  CHECK(v->by.who.tenant == "t1");
  CHECK(v->by.tenants == std::vector<std::string>{"t1"});
  CHECK_FALSE(r.use(a.id, "", "/t1/mpk", now, why)); // no cookie: another browser
  CHECK(why.find("another browser") != std::string::npos);
  CHECK_FALSE(r.use(a.id, b.secret, "/t1/mpk", now, why)); // tenant 2's cookie on tenant 1's relay
  CHECK_FALSE(r.use(b.id, a.secret, "/t2/mpk", now, why)); // and the other way round
  CHECK_FALSE(r.use(b.id, b.secret, "/t1/mpk", now, why)); // the right cookie under another tenant's path
  CHECK(r.use(b.id, b.secret, "/t2/mpk", now, why));
}

TEST_CASE("relay sessions: end after 15 minutes without a request, not while used") {
  relay_sessions r({60s, 15min, 10s});
  auto now = clock_type::now();
  auto a = open(r, owner_of(1, "t1", "admin1"), "dev:1", "/t1/mpk", now);
  std::string why;
  CHECK(r.use(a.id, a.secret, "/t1/mpk", now + 14min, why));
  CHECK(r.use(a.id, a.secret, "/t1/mpk", now + 28min, why)); // each request restarts the 15 minutes
  CHECK(r.sweep(now + 28min + 14min).empty());
  auto ended = r.sweep(now + 28min + 15min + 1s);
  REQUIRE(ended.size() == 1);
  CHECK(ended[0].reason == "idle");
  CHECK_FALSE(r.use(a.id, a.secret, "/t1/mpk", now + 44min, why));
  CHECK(why.find("ended") != std::string::npos);
  // Also refused at once when the sweep has not run yet.
  auto b = open(r, owner_of(1, "t1", "admin1"), "dev:1", "/t1/mpk", now);
  CHECK_FALSE(r.use(b.id, b.secret, "/t1/mpk", now + 16min, why));
}

TEST_CASE("relay sessions: the app session's end (past the grace), Unwatch, a reconnect within the grace keeps it") {
  relay_sessions r({60s, 15min, 10s});
  auto now = clock_type::now();
  auto a = open(r, owner_of(1, "t1", "admin1"), "dev:1", "/t1/mpk", now);
  auto b = open(r, owner_of(1, "t1", "admin1"), "dev:2", "/t1/mpk", now);
  auto c = open(r, owner_of(3, "t1", "admin3"), "dev:1", "/t1/mpk", now);
  std::string why;

  // Unwatch of dev:2 by app session 1 ends only that relay.
  auto ended = r.end_for(1, "dev:2", "unwatched");
  REQUIRE(ended.size() == 1);
  CHECK(ended[0].id == b.id);
  CHECK_FALSE(r.use(b.id, b.secret, "/t1/mpk", now, why));
  CHECK(r.use(a.id, a.secret, "/t1/mpk", now, why));

  // App session 1's websocket closes: still usable within the grace, gone after it.
  r.detach(1, now);
  CHECK(r.use(a.id, a.secret, "/t1/mpk", now + 9s, why));
  CHECK_FALSE(r.use(a.id, a.secret, "/t1/mpk", now + 11s, why));
  CHECK(r.use(c.id, c.secret, "/t1/mpk", now + 11s, why)); // another user's relay is not touched

  // Closed, then the same user watches the same phone again from a new app session (4) in time.
  auto d = open(r, owner_of(5, "t1", "admin1"), "dev:1", "/t1/mpk", now);
  r.detach(5, now);
  r.adopt(actor_identity{"t1", "pbx-t1", "admin2", "admin2"}, "dev:1", 6); // someone else: no
  r.adopt(actor_identity{"t1", "pbx-t1", "admin1", "admin1"}, "dev:9", 4); // another phone: no
  r.adopt(actor_identity{"t1", "pbx-t1", "admin1", "admin1"}, "dev:1", 4);
  CHECK(r.use(d.id, d.secret, "/t1/mpk", now + 30s, why));
  CHECK(r.end_for(4, "", "unwatched").size() == 1); // and it now ends with the new app session
  CHECK_FALSE(r.use(d.id, d.secret, "/t1/mpk", now + 30s, why));

  // A ticket not opened yet dies with its app session too.
  auto t = r.issue(owner_of(8, "t1", "admin1"), "dev:1", "/t1/mpk", now);
  r.detach(8, now);
  CHECK_FALSE(r.redeem(t, "/t1/mpk", now, why));
}

TEST_CASE("relay sessions: the phone's last challenge and its nonce count") {
  relay_sessions r;
  auto now = clock_type::now();
  auto a = open(r, owner_of(1, "t1", "admin1"), "dev:1", "/t1/mpk", now);
  CHECK_FALSE(r.next_use_of_challenge(a.id));
  crypto::http_digest::challenge c;
  c.realm = "IP222-020202";
  c.nonce = "n1";
  r.remember_challenge(a.id, c);
  CHECK(r.next_use_of_challenge(a.id)->second == 1);
  CHECK(r.next_use_of_challenge(a.id)->second == 2);
  c.nonce = "n2";
  r.remember_challenge(a.id, c);
  auto use = r.next_use_of_challenge(a.id);
  CHECK(use->first.nonce == "n2");
  CHECK(use->second == 1);
}
