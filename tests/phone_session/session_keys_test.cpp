// Function-key labels set in the app (SetKeyLabels → the session → KeyStates to every watcher),
// through the phone manager and a session against the passthrough on 127.0.0.1.
#include "tests/phone_session/fake_passthrough.hpp"
#include "tests/phone_session/session_fixture.hpp"

#include <catch2/catch.hpp>
#include <caf/send.hpp>

using namespace mpk;
using namespace mpk::test;

namespace {

const std::string hw1 = "009033000001";
const std::string dev1 = "tenant1.example.com/devices:1";

/// The body of the newest event `mt` a watcher got ("" if none).
std::string last_event(const session_fixture::watcher& w, const std::string& mt) {
  auto events = w.log->events_copy();
  for (auto it = events.rbegin(); it != events.rend(); ++it)
    if (it->mt == mt)
      return it->json;
  return "";
}

phone_command labels(const std::string& json) {
  auto c = session_fixture::make_command(dev1, "labels", "");
  c.arg = json;
  return c;
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
  CHECK(last_event(w1, "KeyStates").empty()); // nothing to show yet

  auto r = fx.command(labels(R"({"F1":"Alice","F3":"  Sales  "})"));
  REQUIRE(r.ok);
  const std::string both = "\"keys\":[{\"id\":\"F1\",\"label\":\"Alice\",\"from\":\"operator\",\"operator\":\"Alice\"},"
                           "{\"id\":\"F3\",\"label\":\"Sales\",\"from\":\"operator\",\"operator\":\"Sales\"}]";
  REQUIRE(eventually([&] { return last_event(w1, "KeyStates") == both; }));

  // A second watcher gets them when it comes.
  auto w2 = fx.make_watcher();
  REQUIRE(fx.watch(dev1, w2).first);
  REQUIRE(eventually([&] { return last_event(w2, "KeyStates") == both; }));

  // Refused: keys the model does not have, too long, not an object. Nothing changes.
  for (const char* bad : {R"({"D5":"x"})", R"({"F17":"x"})", "[]"}) {
    INFO(bad);
    auto b = fx.command(labels(bad));
    CHECK_FALSE(b.ok);
    CHECK(b.error == "BAD_REQUEST");
  }
  auto events = w1.log->events_copy().size();

  // Offline: the labels are the app's, so they can still be set.
  auto t = pt.target(dev1, hw1);
  t.online = false;
  t.epoch += 1;
  fx.put_target(t);
  REQUIRE(eventually([&] { return w1.log->saw_state("offline"); }));
  REQUIRE(fx.command(labels(R"({"F1":""})")).ok); // "" removes
  const std::string sales = "\"keys\":[{\"id\":\"F3\",\"label\":\"Sales\",\"from\":\"operator\",\"operator\":\"Sales\"}]";
  REQUIRE(eventually([&] { return last_event(w2, "KeyStates") == sales; }));
  CHECK(w1.log->events_copy().size() > events);
  CHECK(fx.audit(dev1, 1).find("\"kind\":\"labels\"") != std::string::npos);

  // Every watcher leaves, the session ends; a new one shows the labels again.
  caf::anon_send_exit(w1.handle, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(w2.handle, caf::exit_reason::user_shutdown);
  REQUIRE(eventually([&] { return fx.session_status(dev1).empty(); }));
  auto w3 = fx.make_watcher();
  REQUIRE(fx.watch(dev1, w3).first);
  REQUIRE(eventually([&] { return last_event(w3, "KeyStates") == sales; }));
}
