#pragma once
// The admin-UI relay sessions of one gateway. OpenAdminUi issues a one-time ticket; its first use
// opens a relay session bound to that browser by a cookie and to the app session that asked for
// it: the relay ends with that app session (its websocket closed past a grace, unless the same
// user watches the same phone again meanwhile), on Unwatch, and after a time without requests.
// Thread-safe; times are passed in so that tests can move them.

#include "common/actors/messages.hpp"
#include "common/crypto/http_digest.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mpk::gateway {

class relay_sessions {
public:
  using clock = std::chrono::steady_clock;

  struct lifetimes {
    std::chrono::seconds ticket{60};
    std::chrono::seconds idle{15 * 60};
    std::chrono::milliseconds grace{10000};
  };

  /// Who opened a relay: the app session (its connection id), the user and their scope.
  struct owner {
    std::uint64_t client = 0;
    actor_identity who;
    std::vector<std::string> tenants;
  };

  /// What a request on a live relay session may use.
  struct session_view {
    std::string id, device;
    std::string prefix; ///< "/<domain>/<instance>/admin/<id>/"
    owner by;
  };

  /// A relay session just opened from a ticket: `secret` goes into the browser's cookie.
  struct opened : session_view {
    std::string secret;
  };

  /// Why a session ended (for the log).
  struct ended {
    std::string id, device, reason;
    owner by;
  };

  relay_sessions() = default;
  explicit relay_sessions(lifetimes l) : life_(l) {}
  void set_lifetimes(lifetimes l);

  /// A one-time ticket for `device`, to be opened under `app_path` ("/<domain>/<instance>").
  std::string issue(owner by, std::string device, std::string app_path, clock::time_point now);

  /// The first use of a ticket opens a session; a second use, an expired or unknown ticket, or
  /// one presented under another app path gets nullopt and `why` (the ticket is spent anyway).
  std::optional<opened> redeem(std::string_view ticket, std::string_view app_path, clock::time_point now,
                               std::string& why);

  /// A request on session `id` carrying cookie value `secret` under `app_path`; counts as activity.
  std::optional<session_view> use(std::string_view id, std::string_view secret, std::string_view app_path,
                                  clock::time_point now, std::string& why);

  /// Ends the sessions app session `client` opened (for `device`, or all when empty).
  std::vector<ended> end_for(std::uint64_t client, std::string_view device, std::string_view reason);
  /// The app session's websocket closed: its sessions end after the grace unless adopted.
  void detach(std::uint64_t client, clock::time_point now);
  /// The same user watches the same phone again from a new app session: its detached sessions
  /// of that phone belong to the new one now.
  void adopt(const actor_identity& who, std::string_view device, std::uint64_t client);
  /// Ends what was idle or detached too long; forgets spent tickets.
  std::vector<ended> sweep(clock::time_point now);

  std::size_t live() const;

  // -- injected credentials (the phone's last challenge, per session) ----------------------

  /// The last Digest challenge the phone sent on this session, and the next nonce count for it.
  std::optional<std::pair<crypto::http_digest::challenge, std::uint32_t>> next_use_of_challenge(std::string_view id);
  void remember_challenge(std::string_view id, crypto::http_digest::challenge c);

private:
  struct ticket {
    owner by;
    std::string device, app_path;
    clock::time_point expires;
    bool spent = false;
  };
  struct session {
    owner by;
    std::string device, app_path, secret;
    clock::time_point last_used;
    std::optional<clock::time_point> detached_at;
    std::optional<crypto::http_digest::challenge> challenge;
    std::uint32_t nonce_uses = 0;
  };

  static session_view view_of(const std::string& id, const session& s);

  mutable std::mutex mu_;
  lifetimes life_;
  std::map<std::string, ticket, std::less<>> tickets_;
  std::map<std::string, session, std::less<>> sessions_;
};

} // namespace mpk::gateway
