#include "services/gateway/connection_set.hpp"

#include <algorithm>

namespace mpk::gateway {

void connection_set::add(const net::connection_ptr& c) {
  std::string closing;
  {
    std::lock_guard<std::mutex> g{m_};
    // Forget closed connections now and then so the list stays as long as the live set.
    if (items_.size() > 64 && items_.size() % 64 == 0)
      items_.erase(std::remove_if(items_.begin(), items_.end(), [](auto& w) { return w.expired(); }), items_.end());
    items_.push_back(c);
    closing = closed_reason_;
  }
  // A handshake that completed after close_all: this connection goes the same way at once
  // instead of waiting, open, for its login timeout.
  if (!closing.empty()) c->close(1001, closing);
}

void connection_set::close_all(const std::string& reason) {
  std::vector<std::weak_ptr<net::connection>> items;
  std::string why = reason.empty() ? "service shutting down" : reason; // also tells add() it is over
  {
    std::lock_guard<std::mutex> g{m_};
    closed_reason_ = why;
    items = items_; // kept: live() still counts them until they are gone
  }
  for (auto& w : items)
    if (auto c = w.lock()) c->close(1001, why);
}

std::size_t connection_set::most_queued_bytes() const {
  std::lock_guard<std::mutex> g{m_};
  std::size_t most = 0;
  for (auto& w : items_)
    if (auto c = w.lock()) most = std::max(most, c->queued_bytes());
  return most;
}

std::size_t connection_set::live() const {
  std::lock_guard<std::mutex> g{m_};
  std::size_t n = 0;
  for (auto& w : items_) n += !w.expired();
  return n;
}

} // namespace mpk::gateway
