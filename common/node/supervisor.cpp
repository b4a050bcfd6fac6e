#include "common/node/supervisor.hpp"

#include "common/actors/atoms.hpp"
#include "common/base/log.hpp"
#include "common/node/target_down.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include <algorithm>
#include <chrono>

namespace mpk::cluster {

namespace {

using clock = std::chrono::steady_clock;

struct supervisor_state {
  std::string who;
  child_factory factory;
  caf::actor child;
  std::uint64_t epoch = 0;
  std::chrono::milliseconds backoff{250};
  clock::time_point started;
  bool stopping = false;
  static inline const char* name = "supervisor";
};

using sup_ptr = caf::stateful_actor<supervisor_state>*;

void start_child(sup_ptr self) {
  auto& st = self->state;
  st.child = st.factory(self->system());
  st.started = clock::now();
  if (st.child) self->monitor(st.child);
  MPK_INFO(st.who, "child started");
}

caf::behavior supervisor(sup_ptr self, std::string name, child_factory factory) {
  auto& st = self->state;
  st.who = "supervisor " + name;
  st.factory = std::move(factory);
  start_child(self);
  self->set_down_handler([=](caf::down_msg& dm) {
    auto& st = self->state;
    if (!st.child || dm.source != st.child.address() || st.stopping) return;
    st.child = nullptr;
    if (clock::now() - st.started > std::chrono::seconds(30)) st.backoff = std::chrono::milliseconds(250);
    MPK_WARN(st.who, "child died (", self->system().render(dm.reason), "); restart in ", st.backoff.count(), " ms");
    self->delayed_send(self, st.backoff, atom::retry_v, ++st.epoch);
    st.backoff = std::min(std::chrono::milliseconds(10000), st.backoff * 2);
  });
  self->set_exit_handler([=](caf::exit_msg& em) {
    auto& st = self->state;
    st.stopping = true;
    if (st.child) self->send_exit(st.child, em.reason);
    self->quit(em.reason);
  });
  self->set_default_handler([=](caf::scheduled_actor*, caf::message_view& xs) -> caf::result<caf::message> {
    if (!self->state.child) return target_down(self);
    return self->delegate(self->state.child, xs.move_content_to_message());
  });
  return {
    [=](atom::retry, std::uint64_t epoch) {
      if (epoch == self->state.epoch && !self->state.child && !self->state.stopping) start_child(self);
    },
  };
}

} // namespace

caf::actor spawn_supervisor(caf::actor_system& sys, std::string name, child_factory factory) {
  return sys.spawn(supervisor, std::move(name), std::move(factory));
}

} // namespace mpk::cluster
