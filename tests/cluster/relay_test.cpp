// The forwarding actors of a service process (registry proxy, phone router) against real registry
// and phone-session processes over real node links: a request that is on its way when the callee's
// process dies is answered at once with request_receiver_down by the forwarding actor — not lost
// with the link, which would leave its sender waiting for its own deadline. The callee is stopped
// (SIGSTOP) before the request goes out, so it is certainly in flight, then killed (SIGKILL).

#include "tests/cluster/topology.hpp"

#include "common/actors/atoms.hpp"
#include "common/actors/system_config.hpp"
#include "common/node/phone_router.hpp"
#include "common/node/registry_proxy.hpp"

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>

#include <catch2/catch.hpp>

#include <csignal>
#include <thread>

using namespace mpk;
using namespace std::chrono_literals;

namespace {

/// Far beyond the moment the link is lost: a request still unanswered then was lost with the link.
constexpr auto lost_with_the_link = 30s;

/// Asks (status) until `to` answers it: its node link is up and the callee serves.
template <class Handle>
bool wait_serving(caf::scoped_actor& self, const Handle& to) {
  for (int i = 0; i < 200; ++i) {
    bool ok = false;
    self->request(to, 5s, atom::status_v).receive([&](std::string&) { ok = true; }, [&](caf::error&) {});
    if (ok) return true;
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

} // namespace

TEST_CASE(
  "cluster: a request in flight when the registry process dies is answered at once by the proxy, "
  "and the proxy serves the restarted registry") {
  test::topology t("relay-registry", 0);
  if (!t.start_registry()) FAIL(t.error);
  system_config cfg(true);
  caf::actor_system sys{cfg};
  auto proxy = cluster::spawn_registry_proxy(sys, {{"127.0.0.1", t.registry_port}});
  caf::scoped_actor self{sys};
  REQUIRE(wait_serving(self, proxy));

  t.registry->signal(SIGSTOP);
  device_query q;
  q.tenants = {"tenant1.example.com"};
  auto in_flight = self->request(proxy, lost_with_the_link, atom::query_v, q);
  t.registry->signal(SIGKILL);
  caf::error answer;
  in_flight.receive([&](device_page&) { FAIL("a stopped registry answered"); }, [&](caf::error& e) { answer = e; });
  INFO("the answer: " << sys.render(answer));
  CHECK(answer == caf::sec::request_receiver_down);

  // While no registry serves, a new request fails at once too; after the restart it is answered.
  REQUIRE(t.registry->wait_exit(10s));
  if (!t.start_registry()) FAIL(t.error);
  CHECK(wait_serving(self, proxy));
  bool answered = false;
  self->request(proxy, lost_with_the_link, atom::query_v, q)
    .receive([&](device_page&) { answered = true; }, [&](caf::error& e) { FAIL(sys.render(e)); });
  CHECK(answered);
  self->send_exit(proxy, caf::exit_reason::user_shutdown);
}

TEST_CASE("cluster: a phone command in flight when its phone-session process dies is answered at once by the router") {
  test::topology t("relay-phones", 1);
  if (!t.start_registry()) FAIL(t.error);
  if (!t.start_phones(0)) FAIL(t.error);
  system_config cfg(true);
  caf::actor_system sys{cfg};
  auto router = cluster::spawn_phone_router(sys, {{"127.0.0.1", t.phone_ports[0]}});
  caf::scoped_actor self{sys};
  REQUIRE(wait_serving(self, router));

  t.phones[0]->signal(SIGSTOP);
  phone_command key;
  key.device = "tenant1.example.com/devices-api:1/009033000001";
  key.name = "MENU";
  auto in_flight = self->request(router, lost_with_the_link, atom::command_v, key);
  t.phones[0]->signal(SIGKILL);
  caf::error answer;
  in_flight.receive([&](command_result&) { FAIL("a stopped phone-session answered"); },
                    [&](caf::error& e) { answer = e; });
  INFO("the answer: " << sys.render(answer));
  CHECK(answer == caf::sec::request_receiver_down);
  self->send_exit(router, caf::exit_reason::user_shutdown);
}
