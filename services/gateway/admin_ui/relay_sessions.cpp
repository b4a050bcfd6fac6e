#include "services/gateway/admin_ui/relay_sessions.hpp"

#include "common/crypto/constant_time.hpp"
#include "common/crypto/random.hpp"

namespace mpk::gateway {

void relay_sessions::set_lifetimes(lifetimes l) {
  std::lock_guard g{mu_};
  life_ = l;
}

relay_sessions::session_view relay_sessions::view_of(const std::string& id, const session& s) {
  return session_view{id, s.device, s.app_path + "/admin/" + id + "/", s.by};
}

std::string relay_sessions::issue(owner by, std::string device, std::string app_path, clock::time_point now) {
  auto id = crypto::random_hex(16);
  std::lock_guard g{mu_};
  tickets_[id] = ticket{std::move(by), std::move(device), std::move(app_path), now + life_.ticket, false};
  return id;
}

std::optional<relay_sessions::opened> relay_sessions::redeem(std::string_view id, std::string_view app_path,
                                                             clock::time_point now, std::string& why) {
  std::lock_guard g{mu_};
  auto it = tickets_.find(id);
  if (it == tickets_.end() || it->second.expires < now) {
    why = "this admin UI link has expired";
    return std::nullopt;
  }
  auto& t = it->second;
  if (t.spent) {
    why = "this admin UI link was used already: it opens one browser once";
    return std::nullopt;
  }
  t.spent = true; // kept until it expires, so that a second use gets a clear answer
  if (t.app_path != app_path) {
    why = "this admin UI link belongs to another app address";
    return std::nullopt;
  }
  opened o;
  // The id is in the relay's path (not secret); the cookie's secret proves the browser.
  auto sid = crypto::random_hex(8);
  session s{t.by, t.device, t.app_path, crypto::random_hex(16), now, std::nullopt, std::nullopt, 0};
  static_cast<session_view&>(o) = view_of(sid, s);
  o.secret = s.secret;
  sessions_[sid] = std::move(s);
  return o;
}

std::optional<relay_sessions::session_view> relay_sessions::use(std::string_view id, std::string_view secret,
                                                                std::string_view app_path, clock::time_point now,
                                                                std::string& why) {
  std::lock_guard g{mu_};
  auto it = sessions_.find(id);
  if (it == sessions_.end()) {
    why = "this admin UI session has ended: open the admin UI again from myPhoneKeys";
    return std::nullopt;
  }
  auto& s = it->second;
  bool expired = now - s.last_used > life_.idle || (s.detached_at && now - *s.detached_at > life_.grace);
  if (expired) {
    sessions_.erase(it);
    why = "this admin UI session has ended: open the admin UI again from myPhoneKeys";
    return std::nullopt;
  }
  if (secret.empty() || !crypto::digest_equal(secret, s.secret) || s.app_path != app_path) {
    why = "this admin UI session belongs to another browser";
    return std::nullopt;
  }
  s.last_used = now;
  return view_of(it->first, s);
}

std::vector<relay_sessions::ended> relay_sessions::end_for(std::uint64_t client, std::string_view device,
                                                           std::string_view reason) {
  std::vector<ended> out;
  std::lock_guard g{mu_};
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (it->second.by.client == client && (device.empty() || it->second.device == device)) {
      out.push_back(ended{it->first, it->second.device, std::string(reason), it->second.by});
      it = sessions_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto& [id, t] : tickets_)
    if (t.by.client == client && (device.empty() || t.device == device)) t.spent = true;
  return out;
}

void relay_sessions::detach(std::uint64_t client, clock::time_point now) {
  std::lock_guard g{mu_};
  for (auto& [id, s] : sessions_)
    if (s.by.client == client && !s.detached_at) s.detached_at = now;
  for (auto& [id, t] : tickets_)
    if (t.by.client == client) t.spent = true;
}

void relay_sessions::adopt(const actor_identity& who, std::string_view device, std::uint64_t client) {
  std::lock_guard g{mu_};
  for (auto& [id, s] : sessions_)
    if (s.detached_at && s.device == device && s.by.who.tenant == who.tenant && s.by.who.sip == who.sip &&
        s.by.who.pbx == who.pbx) {
      s.by.client = client;
      s.detached_at.reset();
    }
}

std::vector<relay_sessions::ended> relay_sessions::sweep(clock::time_point now) {
  std::vector<ended> out;
  std::lock_guard g{mu_};
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    auto& s = it->second;
    const char* reason = nullptr;
    if (s.detached_at && now - *s.detached_at > life_.grace)
      reason = "the app session ended";
    else if (now - s.last_used > life_.idle)
      reason = "idle";
    if (reason) {
      out.push_back(ended{it->first, s.device, reason, s.by});
      it = sessions_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto it = tickets_.begin(); it != tickets_.end();)
    it = it->second.expires < now ? tickets_.erase(it) : std::next(it);
  return out;
}

std::size_t relay_sessions::live() const {
  std::lock_guard g{mu_};
  return sessions_.size();
}

std::optional<std::pair<crypto::http_digest::challenge, std::uint32_t>> relay_sessions::next_use_of_challenge(
  std::string_view id) {
  std::lock_guard g{mu_};
  auto it = sessions_.find(id);
  if (it == sessions_.end() || !it->second.challenge) return std::nullopt;
  return std::make_pair(*it->second.challenge, ++it->second.nonce_uses);
}

void relay_sessions::remember_challenge(std::string_view id, crypto::http_digest::challenge c) {
  std::lock_guard g{mu_};
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return;
  it->second.challenge = std::move(c);
  it->second.nonce_uses = 0;
}

} // namespace mpk::gateway
