// Function-key labels set in the app (SetKeyLabels → the session → KeyStates to every watcher),
// through the phone manager and a session against the passthrough on 127.0.0.1.
#include "tests/phone_session/fake_passthrough.hpp"
#include "tests/phone_session/session_fixture.hpp"

#include <catch2/catch.hpp>
#include <caf/send.hpp>

#include <thread>

using namespace mpk;
using namespace mpk::test;

namespace {

const std::string hw1 = "009033000001";
const std::string dev1 = "tenant1.example.com/devices:1";

phone_command labels(const std::string& json) {
  auto c = session_fixture::make_command(dev1, command_kind::labels, "");
  c.arg = json;
  return c;
}

bool has(const session_fixture::watcher& w, const std::string& part) {
  return w.log->last_event("KeyStates").find(part) != std::string::npos;
}

} // namespace

TEST_CASE("labels set in the app reach every watcher, also while the phone is offline, and outlive the session",
          "[phone_session][session][labels]") {
  session_fixture fx;
  fake_passthrough pt{fx.rt};
  pt.add_phone(hw1, "IP222");
  fx.put_target(pt.target(dev1, hw1));

  auto w1 = fx.make_watcher();
  REQUIRE(fx.watch(dev1, w1).first);
  REQUIRE(eventually([&] { return w1.log->saw_state("online"); }));
  // What the phone reports first: its labels of keys 1-8, every LED off.
  REQUIRE(eventually([&] { return has(w1, R"({"id":"F1","label":"Partner","from":"phone","led":"off"})"); }));
  CHECK(has(w1, R"({"id":"F9","led":"off"})"));

  auto r = fx.command(labels(R"({"F9":"Alice","F12":"  Sales  ","F1":"Bob"})"));
  REQUIRE(r.ok);
  const std::string alice = R"({"id":"F9","label":"Alice","from":"operator","operator":"Alice","led":"off"})";
  const std::string sales = R"({"id":"F12","label":"Sales","from":"operator","operator":"Sales","led":"off"})";
  // The phone's own label wins; the operator's is kept on record.
  const std::string bob = R"({"id":"F1","label":"Partner","from":"phone","operator":"Bob","led":"off"})";
  REQUIRE(eventually([&] { return has(w1, alice) && has(w1, sales) && has(w1, bob); }));

  // A second watcher gets them when it comes.
  auto w2 = fx.make_watcher();
  REQUIRE(fx.watch(dev1, w2).first);
  REQUIRE(eventually([&] { return has(w2, alice) && has(w2, sales); }));

  // Refused: keys the model does not have, not an object. Nothing changes.
  for (const char* bad : {R"({"D5":"x"})", R"({"F17":"x"})", "[]"}) {
    INFO(bad);
    auto b = fx.command(labels(bad));
    CHECK_FALSE(b.ok);
    CHECK(b.error == "BAD_REQUEST");
  }

  // Offline: the labels are the app's, so they can still be set.
  auto t = pt.target(dev1, hw1);
  t.online = false;
  t.epoch += 1;
  fx.put_target(t);
  REQUIRE(eventually([&] { return w1.log->saw_state("offline"); }));
  REQUIRE(fx.command(labels(R"({"F9":""})")).ok); // "" removes
  REQUIRE(eventually([&] { return !has(w2, "Alice") && has(w2, sales); }));
  CHECK(fx.audit(dev1, 1).find("\"kind\":\"labels\"") != std::string::npos);

  // Every watcher leaves, the session ends; a new one shows the labels again.
  caf::anon_send_exit(w1.handle, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(w2.handle, caf::exit_reason::user_shutdown);
  REQUIRE(eventually([&] { return fx.session_status(dev1).empty(); }));
  fx.put_target(pt.target(dev1, hw1)); // online again
  auto w3 = fx.make_watcher();
  REQUIRE(fx.watch(dev1, w3).first);
  REQUIRE(eventually([&] { return has(w3, sales) && !has(w3, "Alice"); }));
}

TEST_CASE("LEDs and labels the phone reports are shown live while it is watched", "[phone_session][session][labels]") {
  session_fixture fx;
  fake_passthrough pt{fx.rt};
  pt.add_phone(hw1, "IP222");
  fx.put_target(pt.target(dev1, hw1));
  auto w = fx.make_watcher();
  REQUIRE(fx.watch(dev1, w).first);
  REQUIRE(eventually([&] { return has(w, R"({"id":"F2","label":"Pickup","from":"phone","led":"off"})"); }));

  // A press of F2 lights its LED on the phone; the watcher sees it with the next read.
  REQUIRE(fx.command(session_fixture::make_command(dev1, command_kind::key, "F2")).ok);
  REQUIRE(
    eventually([&] { return has(w, R"({"id":"F2","label":"Pickup","from":"phone","led":"on","colour":"green"})"); }));
  REQUIRE(fx.command(session_fixture::make_command(dev1, command_kind::key, "F2")).ok);
  REQUIRE(eventually([&] { return has(w, R"({"id":"F2","label":"Pickup","from":"phone","led":"off"})"); }));

  // A label set on the phone itself shows up too.
  pt.with_phone(hw1, [](sim_phone::phone_web& web) {
    web.ui().set_function_key_label(10, "Queue");
    return 0;
  });
  REQUIRE(eventually([&] { return has(w, R"({"id":"F10","label":"Queue","from":"phone","led":"off"})"); }));
  // Nothing is read while nobody watches.
  fx.unwatch(dev1, w);
  REQUIRE(eventually([&] { return json_member(fx.session_status(dev1), "watchers") == "0"; }));
  auto requests = pt.requests(hw1);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  CHECK(pt.requests(hw1) == requests);
}
