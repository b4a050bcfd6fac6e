#pragma once
/// Fan-out to typed receivers with one message object: send() builds a message per call, so a
/// delta for 1,000 subscribers would be copied 1,000 times; a caf::message is copy-on-write and
/// shared. The element type is checked against the receiver's interface as send() checks it.

#include <caf/message.hpp>
#include <caf/send.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_response_promise.hpp>

namespace mpk {

/// Sends `msg`, which holds one `T`, to `to` as `self` (the receiver sees `self` as the sender).
template <class T, class Sender, class Handle>
void send_shared(Sender* self, const Handle& to, const caf::message& msg) {
  static_assert(caf::response_type_unbox<caf::signatures_of_t<Handle>, caf::detail::type_list<T>>::valid,
                "receiver does not accept given message");
  caf::unsafe_send_as(self, to, msg);
}

} // namespace mpk
