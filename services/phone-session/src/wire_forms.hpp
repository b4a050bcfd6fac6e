#pragma once
/// Which candidate form a phone session sends for each wire entry: the one remembered for this
/// model and firmware, or, while none is known, the candidates in order (docs/wire-calibration.md).
/// Pure logic: the session feeds it each answer's verdict and sends what it says.

#include "common/models/model.hpp"
#include "services/phone-session/wire/wire_judge.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace mpk::session {

/// entry -> index of the candidate that worked.
using wire_choices = std::map<std::string, std::uint32_t>;

class wire_forms {
public:
  wire_forms() = default;
  wire_forms(std::shared_ptr<const models::wire_spec> spec, wire_choices known);

  const models::wire_spec& spec() const { return *spec_; }
  bool has_spec() const { return spec_ != nullptr; }

  /// True once a candidate of the entry worked (or the entry is not searched: its first form).
  bool known(const std::string& entry) const;
  /// Index of the candidate to send now: the known one, or the one being tried.
  std::size_t current(const std::string& entry) const;
  const models::wire_candidate* candidate(const std::string& entry) const;

  enum class outcome {
    chosen,    ///< this candidate works: remembered from now on
    next,      ///< not this form: current() moved to the next candidate, send again
    exhausted, ///< no candidate worked in this round; the next round starts again from the first
    wait,      ///< the answer said nothing about the form: send the same again later
  };
  /// The verdict on the answer to candidate `index` of `entry` (an answer to an older
  /// candidate than current() is stale and changes nothing: outcome::wait).
  outcome record(const std::string& entry, std::size_t index, const wire::judgement& j, int status);

  /// Why the last exhausted round failed, candidate by candidate (for logs and error texts).
  std::string exhausted_reason(const std::string& entry) const;
  /// True when every candidate of the last exhausted round was answered 404 (the passthrough
  /// refuses an unknown device or a stale key that way too).
  bool all_not_found(const std::string& entry) const;

private:
  struct round {
    std::size_t next = 0;
    std::vector<std::string> tried; ///< "#i <form>: <why>"
    std::vector<int> statuses;
    std::vector<std::string> last_tried; ///< of the last exhausted round
    std::vector<int> last_statuses;
  };
  std::size_t count(const std::string& entry) const;

  std::shared_ptr<const models::wire_spec> spec_;
  wire_choices known_;
  std::map<std::string, round> rounds_;
};

} // namespace mpk::session
