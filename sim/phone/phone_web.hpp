#pragma once
/// The simulated phone's own web server, as a pure function over one request. It serves
/// exactly one form of each wire entry (docs/models.md): the LCD dump, keys, touch, text,
/// registrations, info, raw `/!` command lines and the actions; its admin web interface (`/`,
/// `/admin.xml`, `/ADMIN/...`) is admin_ui. The form is the first candidate of its model's data, or of a dialect (a
/// wire spec from the simulator's dialect file), so that the candidate search of the phone-session meets phones that
/// speak differently. The network glue (sysclient tunnel) lives elsewhere.

#include "common/models/catalog.hpp"
#include "common/models/wire_template.hpp"
#include "sim/phone/admin_ui.hpp"
#include "sim/phone/phone_identity.hpp"
#include "sim/phone/phone_ui.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mpk::sim_phone {

using web_fields = std::vector<std::pair<std::string, std::string>>;

struct web_request {
  std::string method;
  std::string target; ///< origin-form: path plus optional query
  std::string body;
  web_fields headers{};
};

struct web_response {
  int status = 200;
  std::string content_type;
  std::string body;
  web_fields headers{}; ///< besides Content-Type (Set-Cookie may come several times)
};

/// What the phone received; read by the control interface and the tests.
struct phone_counters {
  std::uint64_t requests = 0;
  std::uint64_t lcd_dumps = 0;
  std::map<std::string, std::uint64_t> key_presses; ///< per wire code
  std::uint64_t touches = 0;
  std::vector<std::string> texts;               ///< decoded text entries (last 1000)
  std::vector<std::string> commands;            ///< decoded `/!` command lines (last 1000)
  std::map<std::string, std::uint64_t> actions; ///< per action name
  std::string last_dialled;
  std::uint64_t reboots = 0;
  std::uint64_t not_found = 0;
  std::uint64_t bad_requests = 0;
};

class phone_web {
public:
  static constexpr std::size_t max_target = 8192;
  static constexpr std::size_t max_list = 1000;

  /// A phone of a model found in the catalog; nullopt and a reason for an unknown,
  /// unsupported or too old product (same rules as the phone-session uses).
  static std::optional<phone_web> create(const models::catalog& cat, const phone_identity& id, std::string& err,
                                         std::shared_ptr<const models::wire_spec> dialect = nullptr);

  /// A phone of a given model (copied: the phone does not depend on the catalog's lifetime),
  /// speaking the first candidate of each entry of `dialect` (nullptr: of the model's data).
  phone_web(const models::model& m, phone_identity id, std::shared_ptr<const models::wire_spec> dialect = nullptr);

  /// The wire this phone speaks (its dialect or its model's data).
  const models::wire_spec& wire() const { return *wire_; }
  /// Speaks the first candidates of `dialect` from now on (nullptr: its model's data).
  void speak(std::shared_ptr<const models::wire_spec> dialect);

  web_response handle(const web_request& req);

  phone_ui& ui() { return ui_; }
  admin_ui& admin() { return admin_; }
  const admin_ui& admin() const { return admin_; }
  const phone_ui& ui() const { return ui_; }
  const phone_identity& identity() const { return id_; }
  const phone_counters& counters() const { return counters_; }

  /// True once after a reset/ireset command: the network glue takes the phone offline
  /// briefly and brings it back, as a real reboot would.
  bool take_reboot();
  bool reboot_pending() const { return reboot_pending_; }

private:
  web_response run_command(const std::string& line);
  web_response on_key(const models::wire_captures& c);
  web_response on_touch(const models::wire_captures& c);
  web_response on_text(const models::wire_captures& c);
  web_response on_action(const std::string& name, const models::wire_captures& c);

  phone_identity id_;
  phone_ui ui_;
  std::shared_ptr<const models::wire_spec> wire_;
  admin_ui admin_;
  phone_counters counters_;
  bool reboot_pending_ = false;
  // The last LCD dump and the view it shows: polls of an unchanged screen (most of them) get
  // the same bytes without drawing and encoding again, which lets one simulator serve
  // 1,000 watched phones.
  screen_view dump_view_;
  std::string dump_;
};

} // namespace mpk::sim_phone
