#pragma once
/// The wire check: every read-only candidate of a phone's wire data is sent once and its answer
/// reported (request, HTTP status, content type, bytes, time, what it parsed to); acting
/// candidates (key, touch, text) run only when asked, one by one, each between two LCD dumps so
/// the report says whether it had a visible effect. The report also carries the working forms
/// as a wire file for that model (docs/wire-calibration.md). Used by the phone manager
/// (`WireCheck` of the app) and by the `mpk-wirecheck` tool.

#include "common/models/catalog.hpp"
#include "common/models/wire_book.hpp"
#include "services/phone-session/wire/phone_link.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mpk::wire {

/// One acting candidate to run.
struct act_request {
  std::string entry;         ///< key, touch or text
  std::size_t candidate = 0; ///< index in the entry's candidates
  std::string key;           ///< key id (key)
  int x = 0, y = 0;          ///< touch
  std::string text;          ///< text
  int hold_ms = 0;
};

/// "key:1:MENU", "key:0:D5:1200" (hold ms), "touch:0:10:20", "text:1:hello"; nullopt and
/// `err` for anything else.
std::optional<act_request> parse_act(std::string_view spec, std::string& err);

struct check_options {
  const models::catalog* catalog = nullptr;
  std::shared_ptr<const models::wire_book> book; ///< forms in force (nullptr: the built-in data)
  std::string product;                           ///< "" = ask the phone first (its info candidates)
  std::string device;                            ///< shown in the report
  std::string version;                           ///< shown in the report ("" = from the info answer)
  std::string via;                               ///< "passthrough" or "direct", shown in the report
  bool read_only = true;                         ///< run every read-only candidate (false: only find the LCD form)
  std::vector<act_request> acts;                 ///< acting candidates to run, in order
  std::chrono::milliseconds settle{500};         ///< wait after an act before the LCD dump after it
  std::chrono::milliseconds budget{90000};       ///< candidates still waiting then are reported "skipped"
  /// What the phone sessions of this node remember for the model and version (entry -> index),
  /// shown in the report.
  std::map<std::string, std::uint32_t> remembered;
};

struct check_report {
  bool ran = false;      ///< false: the check could not run at all (see error)
  std::string error;     ///< why it could not run
  std::string json;      ///< the report, a JSON object (also when it could not run: with "error")
  std::string wire_file; ///< the forms that worked, as a wire file for the model (JSON object)
};

/// Runs the check; `done` gets the report once, on an Asio thread.
void run_wire_check(net::io_runtime& rt, std::shared_ptr<phone_link> link, check_options o,
                    std::function<void(check_report)> done);

} // namespace mpk::wire
