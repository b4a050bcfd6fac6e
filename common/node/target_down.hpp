#pragma once
// The answer of a forwarding actor (supervisor, registry proxy, phone router) while the actor it
// forwards to is down, and the forwarding itself.

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

/// Hands the current message on to `to` as `xs` with its original sender and request id, so `to`
/// answers the requester directly; with `to` down, as target_down() (typed: the promise of a
/// one-way message is never delivered).
template <class Answer, class Self, class Handle, class... Ts>
caf::result<Answer> forward_to(Self* self, const Handle& to, Ts&&... xs) {
  if (!to) {
    if (self->current_mailbox_element()->mid.is_request()) return caf::make_error(caf::sec::request_receiver_down);
    return self->make_response_promise();
  }
  auto rp = self->make_response_promise();
  rp.delegate(to, std::forward<Ts>(xs)...);
  return rp;
}

} // namespace mpk::cluster
