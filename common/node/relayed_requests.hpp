#pragma once
// Requests that a forwarding actor (registry proxy, phone router) relays to the service of another
// process, each remembered with the node link it went over until its answer comes back. When that
// link is lost, every request still open on it is answered at once with request_receiver_down.
//
// Why not delegate (forward_to, target_down.hpp): a delegated request is the callee's to answer.
// When the callee's process dies after the request left, CAF 0.17 drops it with the link and
// tells nobody, so the requester waits for its own deadline (the gateway: 8 s for a registry
// query, 20 s for a phone command) before it can tell the browser. Relayed, the proxy answers it
// as soon as the connector reports the link lost, and the browser learns it at once.
//
// Only for plain request/response messages: a message whose callee must see the original sender
// (watch_tgt, subscribe: the callee pushes to it later) stays delegated; those senders learn of a
// lost link by the proxy's (retry) instead.

#include "common/node/target_down.hpp"

#include <caf/error.hpp>
#include <caf/response_promise.hpp>
#include <caf/sec.hpp>
#include <caf/unit.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>

namespace mpk::cluster {

class relayed_requests {
public:
  /// How long a relayed request may stay open while its link stays up: far beyond every caller's
  /// own deadline, so it only frees the entry of a peer that is connected but never answers.
  static constexpr std::chrono::seconds give_up_after{120};

  /// Sends the current request on to `to` (the service of node `peer`) as `xs` and answers the
  /// requester with its answer, or with request_receiver_down when fail_all(peer) comes first. A
  /// one-way message, or `to` down, goes as forward_to() does.
  template <class Answer, class Self, class Handle, class... Ts>
  caf::result<Answer> relay(Self* self, const std::string& peer, const Handle& to, Ts&&... xs) {
    if (!to || !self->current_mailbox_element()->mid.is_request())
      return forward_to<Answer>(self, to, std::forward<Ts>(xs)...);
    auto id = ++last_id_;
    auto promise = self->make_response_promise();
    open_.emplace(id, open_request{peer, promise});
    auto request = self->request(to, give_up_after, std::forward<Ts>(xs)...);
    // The handlers run in the forwarding actor, whose state owns this object: `this` outlives them.
    if constexpr (std::is_void_v<Answer>) {
      request.then([this, id]() { answer(id, caf::unit); }, [this, id](caf::error& e) { answer(id, std::move(e)); });
    } else {
      request.then([this, id](Answer& x) { answer(id, std::move(x)); },
                   [this, id](caf::error& e) { answer(id, std::move(e)); });
    }
    return promise;
  }

  /// The link to `peer` is lost (or replaced by a new process): every request still open on it is
  /// answered with request_receiver_down. Returns how many.
  std::size_t fail_all(const std::string& peer) {
    std::size_t failed = 0;
    for (auto it = open_.begin(); it != open_.end();) {
      if (it->second.peer != peer) {
        ++it;
        continue;
      }
      it->second.promise.deliver(caf::make_error(caf::sec::request_receiver_down));
      it = open_.erase(it);
      ++failed;
    }
    return failed;
  }

  std::size_t open() const { return open_.size(); }

private:
  struct open_request {
    std::string peer;
    caf::response_promise promise;
  };

  /// The first of (the callee's answer, fail_all) answers the requester; the other finds no entry.
  template <class T>
  void answer(std::uint64_t id, T&& x) {
    auto it = open_.find(id);
    if (it == open_.end()) return;
    auto promise = std::move(it->second.promise);
    open_.erase(it);
    promise.deliver(std::forward<T>(x));
  }

  std::uint64_t last_id_ = 0;
  std::unordered_map<std::uint64_t, open_request> open_;
};

} // namespace mpk::cluster
