#include "common/net/fanout.hpp"

#include <algorithm>

namespace mpk::net {

void fanout_channel::send(std::vector<fanout_target> targets, std::shared_ptr<const std::string> body) {
  if (!body) return;
  job j;
  j.body = std::move(body);
  j.targets.reserve(targets.size());
  for (auto& t : targets) {
    if (!t.conn || !t.prefix || (t.prefix->empty() && j.body->empty())) continue;
    if (!t.conn->reserve_send(t.prefix->size() + j.body->size())) continue;
    j.targets.push_back(std::move(t));
  }
  if (j.targets.empty()) return;
  auto first = j.targets.front().conn;
  {
    std::lock_guard<std::mutex> g{m_};
    jobs_.push_back(std::move(j));
    if (running_) return; // the runner takes it after the jobs before it
    running_ = true;
  }
  first->run_on_network([self = shared_from_this()] { self->run_slice(); });
}

bool fanout_channel::notify_when_idle(std::function<void()> f) {
  std::lock_guard<std::mutex> g{m_};
  if (!running_) return false;
  on_idle_ = std::move(f);
  return true;
}

bool fanout_channel::busy() {
  std::lock_guard<std::mutex> g{m_};
  return running_;
}

void fanout_channel::run_slice() {
  job* j = nullptr;
  {
    std::lock_guard<std::mutex> g{m_};
    j = &jobs_.front(); // deque: stays put while later jobs are pushed behind it
  }
  auto end = std::min(j->targets.size(), j->next + fanout_slice);
  for (; j->next < end; ++j->next) {
    auto& t = j->targets[j->next];
    t.conn->send_reserved_parts(std::move(t.prefix), j->body);
    t.conn.reset(); // the job must not keep a closed connection's session alive
  }
  connection_ptr next_on; // a connection of the work left, to reach a network thread again
  std::function<void()> idle;
  {
    std::lock_guard<std::mutex> g{m_};
    if (j->next == j->targets.size()) jobs_.pop_front();
    if (jobs_.empty()) {
      running_ = false;
      idle = std::move(on_idle_);
      on_idle_ = nullptr;
    } else {
      auto& front = jobs_.front();
      next_on = front.targets[front.next].conn;
    }
  }
  if (next_on) return next_on->run_on_network([self = shared_from_this()] { self->run_slice(); });
  if (idle) idle(); // outside the lock: it may send again
}

} // namespace mpk::net
