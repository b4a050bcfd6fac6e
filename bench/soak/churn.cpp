#include "bench/soak/churn.hpp"

#include "bench/http_call.hpp"

namespace mpk::soak {

using steady = std::chrono::steady_clock;

churn::churn(std::string sim_base, std::vector<std::int64_t> device_ids, double per_second)
    : base_(std::move(sim_base)), ids_(std::move(device_ids)), rate_(per_second) {}

churn::~churn() { stop(); }

void churn::start() {
  if (ids_.empty() || rate_ <= 0) return;
  running_ = true;
  thread_ = std::thread([this] { run(); });
}

void churn::stop() {
  running_ = false;
  if (thread_.joinable()) thread_.join();
}

void churn::pause_for(std::chrono::milliseconds d) {
  paused_until_ns_ = (steady::now() + d).time_since_epoch().count();
}

void churn::run() {
  const auto step = std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(1.0 / rate_));
  auto next = steady::now();
  while (running_) {
    auto now = steady::now();
    if (now.time_since_epoch().count() < paused_until_ns_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      next = steady::now(); // no burst to catch up after a pause
      continue;
    }
    if (now < next) {
      std::this_thread::sleep_until(next);
      continue;
    }
    if (!change_one()) ++failures_;
    next += step;
    // A loaded machine may fall behind; catch up at most a second's worth at once.
    if (steady::now() - next > std::chrono::seconds(1)) next = steady::now() - std::chrono::seconds(1);
  }
}

bool churn::change_one() {
  auto id = ids_[next_++ % ids_.size()];
  auto n = ++count_[id];
  std::string body =
    "{\"id\":" + std::to_string(id) + ",\"name\":\"soak " + std::to_string(id) + " " + std::to_string(n) + "\"";
  if (n % 4 == 0) {
    bool& on = online_.try_emplace(id, true).first->second;
    on = !on;
    body += std::string(",\"online\":") + (on ? "true" : "false");
  }
  body += "}";
  auto r = bench::http_call("POST", base_ + "/control/device", body);
  if (!r || r->status != 200) return false;
  ++changes_;
  return true;
}

} // namespace mpk::soak
