#pragma once
/// One subscribed list as a browser reads it (docs/app-protocol.md §3): the DevicesChanged
/// messages after a page cover the seq ranges `from`…`seq` without overlap, and on a list that
/// every change reaches (an operator's list without a filter) also without a gap. A fresh page
/// starts the count at its seq; a resumed page continues it after the `resumeFrom` sent.
///
/// A second check works on any list, filtered or not: the soak's churn names a device
/// `soak <key> <n>` with n counting that device's changes, so a device whose n jumps by more
/// than one in a message that merged nothing has lost a change, and one whose n goes back has
/// been sent an old state again.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace mpk::soak {

struct delta_findings {
  std::uint64_t messages = 0, merged = 0;
  std::uint64_t lost = 0;       ///< seqs never covered between two messages (lists every change reaches)
  std::uint64_t duplicated = 0; ///< seqs covered twice
  std::uint64_t device_skips = 0, device_regressions = 0; ///< by the churn's per-device count
};

/// The change count in a churn name `soak <key> <n>`, or nullopt for any other name.
std::optional<std::uint64_t> churn_count(std::string_view name);

class delta_stream {
public:
  /// `every_seq`: every registry change reaches this list, so a gap is a lost change.
  explicit delta_stream(bool every_seq = false) : every_seq_(every_seq) {}

  /// A fresh page at `seq`: the count starts anew, the devices known are the page's.
  void page(std::uint64_t seq);
  /// A resumed page: the deltas after `resume_from` follow, the devices known stay.
  void resumed(std::uint64_t resume_from);
  /// A DevicesChanged covering `from`…`seq` (`from` absent: just `seq`). Returns the findings it
  /// added to (lost + duplicated), for the caller's log.
  std::uint64_t delta(std::optional<std::uint64_t> from, std::uint64_t seq);
  /// One device record of a page or of the last delta.
  void device(const std::string& id, std::string_view name, bool in_merged_delta);
  void removed(const std::string& id);

  bool started() const { return started_; }
  std::uint64_t last_seq() const { return last_; }
  const delta_findings& findings() const { return f_; }

private:
  bool every_seq_;
  bool started_ = false;
  std::uint64_t last_ = 0;
  std::unordered_map<std::string, std::uint64_t> count_by_id_;
  delta_findings f_;
};

} // namespace mpk::soak
