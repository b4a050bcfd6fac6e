#pragma once
// Coalescing for a client that does not keep up: while its connection still has bytes queued,
// further deltas are merged into one pending DevicesChanged per device id instead of being
// queued behind each other (the rule is in docs/app-protocol.md, "Merged changes"):
//   added+changed → added(new)      added+removed → nothing       changed+changed → changed(new)
//   changed+removed → removed       removed+added → changed(new)
// The result carries the newest seq and, when more than one delta went in, "from": the first.

#include "services/gateway/delta_encoding.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mpk::gateway {

class delta_merge {
public:
  bool empty() const { return count_ == 0; }
  std::size_t deltas() const { return count_; }
  std::uint64_t first_seq() const { return first_; }
  std::uint64_t last_seq() const { return last_; }

  /// Merges the next delta (deltas come in seq order).
  void add(std::shared_ptr<const encoded_delta> d);
  /// The deltas merged so far, in seq order.
  const std::vector<std::shared_ptr<const encoded_delta>>& held() const { return held_; }

  /// The body to send: the shared one of a single delta, else the merged body (with "from").
  std::shared_ptr<const std::string> body() const;

  void clear();

private:
  enum class kind { none, added, changed, removed };
  struct slot {
    std::string_view id; ///< points into one of `held_`
    kind k = kind::none;
    const encoded_device* dev = nullptr; ///< points into one of `held_`
  };
  void apply(kind k, const encoded_device& d);

  std::size_t count_ = 0;
  std::uint64_t first_ = 0, last_ = 0;
  std::vector<std::shared_ptr<const encoded_delta>> held_; ///< keeps the encoded devices alive
  std::vector<slot> slots_;                                ///< in order of first appearance
  /// device id → slot, built only once a merge holds many devices: the usual merge of a few
  /// renames is a short scan, without an allocation per device per client.
  std::unordered_map<std::string_view, std::size_t> index_;
  static constexpr std::size_t scan_limit = 32;
  std::size_t find(std::string_view id) const;
};

} // namespace mpk::gateway
