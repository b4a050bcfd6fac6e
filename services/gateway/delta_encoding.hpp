#pragma once
// Encode-once for the device list fan-out: every client with the same subscription filter gets
// the same DevicesChanged body, so it is encoded once per (registry, seq, filter) and shared by
// all of them; the JSON of each device is encoded once per (registry, seq) and shared by every
// filter that shows it (and by the merge of deltas for clients that lag, delta_merge.hpp).

#include "common/actors/messages.hpp"
#include "common/models/catalog.hpp"

#include <caf/actor_addr.hpp>

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mpk::gateway {

/// One device of a delta as the app sees it, encoded once.
struct encoded_device {
  std::string id;                          ///< the device id (what deltas are merged by)
  std::shared_ptr<const std::string> json; ///< added/changed: the device object; removed: the id as a JSON string
};

/// A device_delta encoded for the clients of one filter.
struct encoded_delta {
  std::uint64_t seq = 0;
  /// `"seq":N,"added":[…],"changed":[…],"removed":[…]}`: a client puts `{"mt":"DevicesChanged","src":…,` before it.
  std::shared_ptr<const std::string> body;
  std::vector<encoded_device> added, changed, removed;
};

/// What decides which devices a subscriber sees: its tenant scope, domain, online flag and search
/// term. Clients with an equal identity receive equal deltas; a different tenant scope always
/// gives a different identity, so a tenant never gets a body encoded for another.
std::string filter_identity(const device_query& q);

/// The body of a delta from its encoded devices (also used for merged deltas, with `from`).
std::string delta_body(std::uint64_t seq, std::uint64_t from, const std::vector<const encoded_device*>& added,
                       const std::vector<const encoded_device*>& changed,
                       const std::vector<const encoded_device*>& removed);

/// Thread-safe: client session actors on any scheduler thread share one cache in the gateway
/// context. Bounded: only the newest `max_seqs` sequence numbers are kept.
class delta_encoding_cache {
public:
  explicit delta_encoding_cache(std::size_t max_seqs = 256) : max_seqs_(max_seqs ? max_seqs : 1) {}

  /// The encoding of `delta` from the registry `source` for subscribers of `filter`
  /// (filter_identity); encoded now unless a client of the same filter asked before.
  std::shared_ptr<const encoded_delta> get(const caf::actor_addr& source, const std::string& filter,
                                           const device_delta& delta, const models::catalog* catalog);

  std::size_t seqs() const;
  std::uint64_t hits() const;
  std::uint64_t device_encodings() const; ///< device objects encoded so far (misses of the device level)

private:
  /// A registry incarnation's sequence number: a restarted registry counts from 0 again.
  using seq_key = std::pair<caf::actor_addr, std::uint64_t>;
  struct per_seq {
    std::unordered_map<std::string, std::shared_ptr<const encoded_delta>> by_filter;
    std::unordered_map<std::string, std::shared_ptr<const std::string>> devices; ///< by device id
  };

  std::size_t max_seqs_;
  mutable std::mutex m_;
  std::map<seq_key, per_seq> entries_;
  std::deque<seq_key> order_; ///< insertion order: the oldest is dropped first
  std::uint64_t hits_ = 0, device_encodings_ = 0;
};

} // namespace mpk::gateway
