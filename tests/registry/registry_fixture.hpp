#pragma once
// The registry actor under CAF's deterministic test coordinator, for the tests that drive it
// directly: devices_links are stood in for by (link_event, link_update) messages sent to it.

#include "common/actors/atoms.hpp"
#include "common/actors/system_config.hpp"
#include "common/net/io_runtime.hpp"
#include "services/registry/registry.hpp"
#include "tests/registry/synth.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/send.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mpk::test {

using namespace std::chrono_literals;

/// What a test client received.
struct inbox {
  std::vector<device_page> pages;
  std::vector<device_delta> deltas;
  std::vector<const device_delta*> delta_addresses; ///< where each delta lived when it arrived
  std::vector<phone_target> targets;
  std::vector<std::string> errors;
};

/// A client actor: forwards the test's commands to the registry as requests and records answers
/// and pushes (it is the subscriber / watcher the registry sees).
inline caf::behavior client(caf::event_based_actor* self, registry_actor reg, std::shared_ptr<inbox> box) {
  auto on_err = [=](const caf::error& e) { box->errors.push_back(self->system().render(e)); };
  return {
    [=](atom::subscribe, const device_query& q, std::uint64_t resume) {
      self->request(reg, 10s, atom::subscribe_v, q, resume)
        .then([=](const device_page& p) { box->pages.push_back(p); }, on_err);
    },
    [=](atom::unsubscribe) { self->send(reg, atom::unsubscribe_v); },
    [=](atom::watch_tgt, const std::string& id) {
      self->request(reg, 10s, atom::watch_tgt_v, id)
        .then([=](const phone_target& t) { box->targets.push_back(t); }, on_err);
    },
    [=](atom::unwatch_tgt, const std::string& id) { self->send(reg, atom::unwatch_tgt_v, id); },
    [=](const device_delta& d) {
      box->deltas.push_back(d);
      box->delta_addresses.push_back(&d);
    },
    [=](const phone_target& t) { box->targets.push_back(t); },
  };
}

struct fixture {
  net::io_runtime io{1};
  system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  caf::scheduler::test_coordinator* sched = nullptr;
  registry_actor reg;
  std::string last_error;
  std::vector<caf::actor> clients;

  explicit fixture(std::chrono::milliseconds stale_grace = std::chrono::seconds(2)) {
    cfg.set("scheduler.policy", caf::atom("testing"));
    sys = std::make_unique<caf::actor_system>(cfg);
    sched = &dynamic_cast<caf::scheduler::test_coordinator&>(sys->scheduler());
    registry::registry_options o;
    o.io = &io;
    o.event_log = 50;
    o.stale_grace = stale_grace;
    reg = registry::spawn_registry(*sys, o);
    sched->run();
  }

  ~fixture() {
    for (auto& c : clients) caf::anon_send_exit(c, caf::exit_reason::kill);
    caf::anon_send_exit(reg, caf::exit_reason::user_shutdown);
    sched->run();
  }

  /// A report of a devices_link. test::synth_snapshot lists a snapshot's devices in `devices`, where
  /// tests edit them; they travel as one chunk, as devices_sync hands a snapshot on.
  void feed(link_update u) {
    if (u.kind == link_update_kind::snapshot && !u.devices.empty()) {
      u.device_chunks.insert(u.device_chunks.begin(), std::move(u.devices));
      u.devices = {};
    }
    // What a devices_link sends is internal to the registry, not on its public type.
    caf::anon_send(caf::actor_cast<caf::actor>(reg), atom::link_event_v, std::move(u));
    sched->run();
  }

  /// One request from a one-shot actor; the answer or nullopt (then last_error says why).
  template <class T, class... Ts>
  std::optional<T> ask(Ts... xs) {
    auto out = std::make_shared<std::optional<T>>();
    auto err = std::make_shared<std::string>();
    auto r = reg;
    // (A spawn argument: CAF 0.17 dereferences an empty argument tuple for argument-less functors.)
    sys->spawn(
      [=](caf::event_based_actor* self, registry_actor r) {
        self->request(r, 10s, xs...)
          .then([=](const T& v) { *out = v; }, [=](const caf::error& e) { *err = self->system().render(e); });
      },
      r);
    sched->run();
    last_error = *err;
    return *out;
  }

  std::pair<caf::actor, std::shared_ptr<inbox>> new_client() {
    auto box = std::make_shared<inbox>();
    auto c = sys->spawn(client, reg, box);
    clients.push_back(c);
    sched->run();
    return {c, box};
  }

  void tell(const caf::actor& c, caf::message m) {
    caf::anon_send(c, std::move(m));
    sched->run();
  }
};

inline link_update state_update(const std::string& link, const std::string& tenant, link_state state) {
  link_update u;
  u.link = link;
  u.tenant = tenant;
  u.kind = link_update_kind::state;
  u.state = state;
  u.detail = state == link_state::down ? "connection closed: Devices instance restarting" : "";
  return u;
}

inline std::vector<std::string> ids_of(const std::vector<device_record>& v) {
  std::vector<std::string> out;
  for (auto& d : v) out.push_back(d.id);
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace mpk::test
