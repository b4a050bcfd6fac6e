#pragma once
// The answer of a forwarding actor (supervisor, registry proxy) while the actor it forwards to is down.

#include <caf/mailbox_element.hpp>
#include <caf/message.hpp>
#include <caf/result.hpp>
#include <caf/scheduled_actor.hpp>
#include <caf/sec.hpp>

namespace mpk::cluster {

/// A request gets `request_receiver_down`; a one-way message is dropped. An error sent back for a
/// one-way message would end its sender (CAF's default error handler quits), e.g. a delta hub that
/// unsubscribes while the registry restarts.
inline caf::result<caf::message> target_down(caf::scheduled_actor* self) {
  if (self->current_mailbox_element()->mid.is_request()) return caf::make_error(caf::sec::request_receiver_down);
  return caf::message{};
}

} // namespace mpk::cluster
