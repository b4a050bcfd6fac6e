#pragma once
/// The node's wire knowledge: the wire data in force (built-in, or merged with the operator's
/// phone.wire-file) and, per model and firmware version, the candidate of each entry that
/// worked. Owned by the process, not by an actor, so a restarted phone manager or session
/// finds both again (a session restart does not search anew). Thread-safe.

#include "common/models/wire_book.hpp"
#include "services/phone-session/src/wire_forms.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

namespace mpk::session {

class wire_memory {
public:
  /// `file` is what a reload reads again ("" = the built-in data only).
  wire_memory(std::shared_ptr<const models::wire_book> book, std::string file);

  struct snapshot {
    std::shared_ptr<const models::wire_book> book;
    std::uint64_t gen = 0; ///< bumped by every successful reload
  };
  snapshot current() const;
  const std::string& file() const { return file_; }

  /// Puts new data in force and forgets what was learned under the old; returns the new gen.
  std::uint64_t replace(std::shared_ptr<const models::wire_book> book);

  /// What worked for this model and version under the data of `gen` (empty for another gen).
  wire_choices choices(const std::string& product, const std::string& version) const;
  /// Remembers a candidate that worked; false (nothing kept) when `gen` is no longer current.
  bool learn(const std::string& product, const std::string& version, const std::string& entry, std::uint32_t index,
             std::uint64_t gen);
  /// Everything learned, as a JSON array [{product, version, choices:{entry:index}}].
  std::string learned_json() const;

private:
  mutable std::mutex mu_;
  std::shared_ptr<const models::wire_book> book_;
  std::string file_;
  std::uint64_t gen_ = 1;
  std::map<std::pair<std::string, std::string>, wire_choices> learned_;
};

} // namespace mpk::session
