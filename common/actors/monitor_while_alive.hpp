#pragma once
/// A monitor that ends with the observer.
///
/// CAF 0.17 keeps a monitor in the observed actor until the observed actor ends or the observer
/// calls demonitor — also after the observer itself has ended. The entry holds the observer's
/// address, a weak reference, and an actor's control block and its storage are one allocation,
/// freed only with the last weak reference. So an actor that monitors a longer-lived one and
/// ends leaves its whole storage behind for as long as the other lives: every phone session that
/// monitored its phone manager stayed allocated (~3 KB each, about 900 an hour under the soak;
/// docs/security.md, "Endurance"). Here the observer removes its monitor when it ends.
///
/// For a few long-lived actors an observer watches for its whole life (its manager, its registry):
/// every call attaches one entry to the observer that holds `observed` until the observer ends,
/// so an actor that monitors ever new short-lived ones (clients) demonitors them itself instead.

#include <caf/actor_cast.hpp>
#include <caf/attachable.hpp>
#include <caf/default_attachable.hpp>

namespace mpk {

template <class Self, class Handle>
void monitor_while_alive(Self* self, const Handle& observed) {
  if (!observed) return;
  self->monitor(observed);
  // The functor runs when `self` ends; it holds no strong reference to either actor.
  self->attach_functor([observed = caf::actor_cast<caf::actor_addr>(observed), me = self->address()] {
    if (auto alive = caf::actor_cast<caf::strong_actor_ptr>(observed))
      alive->get()->detach(caf::default_attachable::observe_token{me, caf::default_attachable::monitor});
  });
}

} // namespace mpk
