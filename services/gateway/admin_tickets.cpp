#include "services/gateway/gateway_context.hpp"

#include "common/crypto/random.hpp"

#include <algorithm>

namespace mpk::gateway {

namespace {
constexpr auto ticket_lifetime = std::chrono::minutes(10);
}

std::string admin_tickets::issue(std::string device, std::vector<std::string> tenants) {
  auto id = crypto::random_hex(16);
  auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> g{m_};
  for (auto it = tickets_.begin(); it != tickets_.end();)  // forget expired tickets
    it = it->second.expires < now ? tickets_.erase(it) : std::next(it);
  tickets_[id] = ticket{std::move(device), std::move(tenants), now + ticket_lifetime};
  return id;
}

std::optional<admin_tickets::ticket> admin_tickets::find(const std::string& id) {
  std::lock_guard<std::mutex> g{m_};
  auto it = tickets_.find(id);
  if (it == tickets_.end() || it->second.expires < std::chrono::steady_clock::now()) return std::nullopt;
  return it->second;
}

} // namespace mpk::gateway
