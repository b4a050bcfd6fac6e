#include "sim/pbx/pbx_sim.hpp"

#include "common/base/log.hpp"
#include "common/crypto/random.hpp"
#include "common/net/client.hpp"
#include "common/net/timer.hpp"
#include "sim/pbx/pbx_logins.hpp"
#include "sim/pbx/pbx_session.hpp"

#include <algorithm>

namespace mpk::sim {

namespace {
constexpr std::chrono::milliseconds backoff_min{500};
constexpr std::chrono::milliseconds backoff_max{8000};
} // namespace

/// Callbacks of one connection attempt. Runs on the connection's strand; reports to the owner
/// through a weak reference, tagged with its generation so a late callback of an old link is ignored.
class pbx_sim::link final : public net::connection_handler {
public:
  link(std::weak_ptr<pbx_sim> owner, std::uint64_t generation, const pbx_config& cfg)
      : owner_(std::move(owner)), generation_(generation), session_(cfg) {}

  void on_open(const net::connection_ptr& conn) override {
    auto owner = owner_.lock();
    if (!owner || !owner->on_link_open(generation_, conn)) {
      conn->close(1000, "PBX link no longer wanted");
      return;
    }
    conn_ = conn;
    conn->send_text(session_.opening_frame());
  }

  void on_message(std::string data, bool binary) override {
    auto conn = conn_.lock();
    if (binary || !conn) return;
    auto out = session_.on_frame(data);
    for (auto& f : out.frames) conn->send_text(std::move(f));
    if (auto owner = owner_.lock()) {
      if (out.ev == pbx_session::output::event::logged_in) owner->on_logged_in(generation_);
      if (out.ev == pbx_session::output::event::service_login) owner->on_service_login();
    }
    if (out.close) {
      close_reason_ = out.close_reason;
      conn->close(1000, out.close_reason);
    }
  }

  void on_close(std::string reason) override {
    conn_.reset();
    if (auto owner = owner_.lock()) owner->on_link_closed(generation_, close_reason_.empty() ? reason : close_reason_);
  }

private:
  std::weak_ptr<pbx_sim> owner_;
  std::uint64_t generation_;
  pbx_session session_;
  /// Weak: the connection owns this handler; a strong reference back would keep both alive
  /// when the Asio threads stop before the close reaches on_close.
  std::weak_ptr<net::connection> conn_;
  std::string close_reason_;
};

pbx_sim::pbx_sim(net::io_runtime& rt, pbx_config cfg)
    : rt_(rt), cfg_(std::move(cfg)), who_("pbx " + cfg_.system_name), backoff_(backoff_min) {}

pbx_sim::~pbx_sim() {
  // No shared_from_this here: just let go of the link (its handler only holds a weak reference).
  std::lock_guard<std::mutex> guard{mutex_};
  running_ = false;
  if (retry_) retry_->cancel();
  if (conn_) conn_->close(1000, "PBX shut down");
}

void pbx_sim::start() {
  {
    std::lock_guard<std::mutex> guard{mutex_};
    if (running_) return;
    running_ = true;
    backoff_ = backoff_min;
  }
  connect_now();
}

void pbx_sim::stop() {
  std::shared_ptr<net::connection> conn;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    if (!running_) return;
    running_ = false;
    ++generation_;
    if (retry_) retry_->cancel();
    retry_.reset();
    conn = std::move(conn_);
    state_ = "down (stopped)";
  }
  MPK_INFO(who_, "link stopped");
  if (conn) conn->close(1000, "PBX link stopped");
}

void pbx_sim::drop_link() {
  std::shared_ptr<net::connection> conn;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    conn = conn_;
    if (conn) drop_reason_ = "link dropped on request";
  }
  if (conn) {
    MPK_INFO(who_, "dropping the link on request");
    conn->close(1001, "PBX link dropped");
  }
}

std::string pbx_sim::state() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return state_;
}

pbx_sim::counters pbx_sim::stats() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return stats_;
}

std::string pbx_sim::app_get_login(std::string_view user_sip, std::string_view app, std::string_view challenge) const {
  return app_get_login_result(cfg_, user_sip, app, challenge, crypto::random_hex(8)).json;
}

void pbx_sim::connect_now() {
  std::shared_ptr<link> handler;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    if (!running_) return;
    if (connected_once_) ++stats_.reconnects;
    connected_once_ = true;
    handler = std::make_shared<link>(weak_from_this(), ++generation_, cfg_);
    state_ = "connecting";
    drop_reason_.clear();
  }
  net::client_options opts;
  opts.url = cfg_.product_url;
  opts.tls = cfg_.tls;
  opts.connect_timeout = std::chrono::seconds(10);
  // Outside the lock: connect reports failures through on_close, possibly soon.
  net::connect(rt_, std::move(opts), handler);
}

bool pbx_sim::on_link_open(std::uint64_t generation, const std::shared_ptr<net::connection>& conn) {
  std::lock_guard<std::mutex> guard{mutex_};
  if (!running_ || generation != generation_) return false;
  conn_ = conn;
  return true;
}

void pbx_sim::on_logged_in(std::uint64_t generation) {
  {
    std::lock_guard<std::mutex> guard{mutex_};
    if (generation != generation_) return;
    state_ = "logged-in";
    ++stats_.logins;
    backoff_ = backoff_min;
  }
  MPK_INFO(who_, "logged in to ", cfg_.product_url);
}

void pbx_sim::on_service_login() {
  std::lock_guard<std::mutex> guard{mutex_};
  ++stats_.service_logins;
}

void pbx_sim::on_link_closed(std::uint64_t generation, const std::string& reason) {
  std::chrono::milliseconds delay{};
  std::string why;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    if (!running_ || generation != generation_) return;
    conn_.reset();
    why = drop_reason_.empty() ? reason : drop_reason_;
    drop_reason_.clear();
    state_ = "down (" + why + ")";
    delay = backoff_;
    backoff_ = std::min(backoff_ * 2, backoff_max);
    retry_ = net::run_after(rt_, delay, [weak = weak_from_this()] {
      if (auto self = weak.lock()) self->connect_now();
    });
  }
  MPK_WARN(who_, "link down (", why, "), reconnecting in ", delay.count(), " ms");
}

} // namespace mpk::sim
