#include "common/node/connector.hpp"

#include "common/actors/atoms.hpp"
#include "common/base/log.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/io/middleman.hpp>
#include <caf/openssl/manager.hpp>
#include <caf/stateful_actor.hpp>

#include <algorithm>
#include <chrono>
#include <set>

namespace mpk::cluster {

namespace {

constexpr auto backoff_min = std::chrono::milliseconds(200);
constexpr auto backoff_max = std::chrono::milliseconds(2000);
constexpr auto connect_timeout = std::chrono::seconds(5);

struct connector_state {
  peer_address peer;
  caf::actor owner, service;
  std::uint64_t epoch = 0;
  std::chrono::milliseconds backoff = backoff_min;
  std::string who;
  static inline const char* name = "connector";
};

using connector_ptr = caf::stateful_actor<connector_state>*;

void retry_later(connector_ptr self) {
  auto& st = self->state;
  auto delay = st.backoff;
  st.backoff = std::min(backoff_max, st.backoff * 2);
  self->delayed_send(self, delay, atom::retry_v, ++st.epoch);
}

void connect(connector_ptr self) {
  auto& st = self->state;
  // With certificates configured the openssl manager's middleman actor makes the link (TLS,
  // peer verified); the plain middleman would talk unencrypted BASP to a TLS peer and never connect.
  auto& sys = self->system();
  auto mm = sys.has_openssl_manager() ? sys.openssl_manager().actor_handle() : sys.middleman().actor_handle();
  self->request(mm, connect_timeout, caf::connect_atom::value, st.peer.host, st.peer.port)
    .then(
      [=](const caf::node_id&, caf::strong_actor_ptr p, const std::set<std::string>& ifs) {
        auto& st = self->state;
        // Our published actors are dynamically typed: any interface set means a foreign service.
        if (!p || !ifs.empty()) {
          MPK_WARN(st.who, p ? "peer publishes a typed actor, not a myPhoneKeys service" : "no actor published there");
          return retry_later(self);
        }
        st.service = caf::actor_cast<caf::actor>(p);
        self->monitor(st.service);
        st.backoff = backoff_min;
        MPK_INFO(st.who, "connected");
        self->send(st.owner, atom::link_event_v, st.peer.text(), st.service);
      },
      [=](const caf::error& err) {
        MPK_TRACE(link, self->state.who, "connect failed: ", self->system().render(err));
        retry_later(self);
      });
}

caf::behavior connector(connector_ptr self, peer_address peer, caf::actor owner) {
  auto& st = self->state;
  st.peer = std::move(peer);
  st.owner = std::move(owner);
  st.who = "node-link " + st.peer.text();
  self->set_down_handler([=](caf::down_msg& dm) {
    auto& st = self->state;
    if (dm.source != st.service.address()) return;
    MPK_WARN(st.who, "lost: ", self->system().render(dm.reason));
    st.service = nullptr;
    self->send(st.owner, atom::link_event_v, st.peer.text());
    retry_later(self);
  });
  connect(self);
  return {
    [=](atom::retry, std::uint64_t epoch) {
      if (epoch == self->state.epoch && !self->state.service) connect(self);
    },
  };
}

} // namespace

caf::actor spawn_connector(caf::actor_system& sys, peer_address peer, caf::actor owner) {
  return sys.spawn(connector, std::move(peer), std::move(owner));
}

} // namespace mpk::cluster
