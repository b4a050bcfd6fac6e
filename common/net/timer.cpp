#include "common/net/timer.hpp"

#include "common/net/detail/asio.hpp"

#include <atomic>

namespace mpk::net {

namespace {

class steady_scheduled final : public scheduled, public std::enable_shared_from_this<steady_scheduled> {
public:
  explicit steady_scheduled(asio::io_context& ioc) : timer_(asio::make_strand(ioc)) {}

  void start(std::chrono::milliseconds delay, std::function<void()> fn) {
    timer_.expires_after(delay);
    timer_.async_wait([self = shared_from_this(), fn = std::move(fn)](error_code ec) {
      if (!ec && !self->cancelled_) fn();
    });
  }

  void cancel() override {
    cancelled_ = true;
    asio::post(timer_.get_executor(), [self = shared_from_this()] { self->timer_.cancel(); });
  }

private:
  asio::steady_timer timer_;
  std::atomic<bool> cancelled_{false};
};

} // namespace

void post(io_runtime& rt, std::function<void()> fn) { asio::post(detail::context_of(rt), std::move(fn)); }

std::shared_ptr<scheduled> run_after(io_runtime& rt, std::chrono::milliseconds delay, std::function<void()> fn) {
  auto s = std::make_shared<steady_scheduled>(detail::context_of(rt));
  s->start(delay, std::move(fn));
  return s;
}

} // namespace mpk::net
