#pragma once
/// Judging a phone's answer to one wire candidate: does the phone speak this form? The same
/// rules serve the phone session's candidate search and the wire check (docs/wire-calibration.md).

#include "common/models/model.hpp"

#include <string>
#include <string_view>

namespace mpk::wire {

/// One exchange with the phone as the judge sees it.
struct answer {
  int status = 0; ///< 0: no HTTP answer (see error)
  std::string content_type;
  std::string body;
  std::string error; ///< transport error when status is 0
};

enum class verdict {
  works,         ///< the phone speaks this form
  not_this_form, ///< 400/404/405/501, or 2xx whose content does not pass the judge
  no_answer,     ///< timeout, transport error, 5xx other than 501, 401/403: says nothing about the form
};

struct judgement {
  verdict v = verdict::no_answer;
  /// What the answer parsed to, as a JSON object (e.g. {"width":320,"height":240,"depth":16});
  /// "" when it did not parse.
  std::string parsed;
  std::string why; ///< plain words: what was wrong, or a summary of what worked
};

/// "works", "not-this-form", "no-answer".
std::string_view to_string(verdict v);

/// Judges the answer to candidate `c` of entry `entry`. Acting entries (key, touch, text,
/// command) work on a 2xx answer without an error in it; the LCD-changed fallback is the
/// caller's (it needs dumps before and after).
judgement judge(std::string_view entry, const models::wire_candidate& c, const answer& a);

/// True for an answer body that reports a failure although the status was 2xx ("error: …",
/// "<error …/>"): a phone's command interpreter answers unknown commands that way.
bool reports_error(std::string_view body);

/// The bit depth in a BMP header; 0 when the bytes are no BMP.
int bmp_depth(std::string_view bmp);

} // namespace mpk::wire
