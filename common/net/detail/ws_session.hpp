#pragma once
// Internal: one websocket session owns one stream, one read loop and one write queue (Beast's
// chat-multi pattern). Used for server- and client-side connections, plain or TLS.

#include "common/net/connection.hpp"
#include "common/net/detail/asio.hpp"

#include <array>
#include <atomic>
#include <deque>

namespace mpk::net::detail {

template <class WsStream>
class ws_session : public connection, public std::enable_shared_from_this<ws_session<WsStream>> {
public:
  ws_session(WsStream ws, handler_ptr handler, ws_limits limits, std::string remote, std::string target)
      : ws_(std::move(ws)),
        handler_(std::move(handler)),
        limits_(limits),
        id_(next_connection_id()),
        remote_(std::move(remote)),
        target_(std::move(target)),
        close_timer_(ws_.get_executor()) {
    ws_.read_message_max(limits_.max_message_bytes);
    ws_.auto_fragment(false);
    websocket::stream_base::timeout t{};
    t.handshake_timeout = limits_.handshake_timeout;
    t.idle_timeout = limits_.idle_timeout;
    t.keep_alive_pings = true; // both ends ping: Beast 1.74's idle timer ignores incoming pings otherwise
    ws_.set_option(t);
  }

  WsStream& stream() { return ws_; }

  /// Server side: completes the upgrade of `req`, then runs.
  template <class Request>
  void accept(const Request& req) {
    ws_.async_accept(req, [self = this->shared_from_this()](error_code ec) {
      if (ec) return self->finish("websocket handshake failed: " + describe(ec));
      self->run();
    });
  }

  /// Starts reading after the handshake (pings go out at half the idle time; unanswered, the link closes).
  void run() {
    handler_->on_open(this->shared_from_this());
    do_read();
  }

  // -- connection ------------------------------------------------------------

  void send_text(std::string frame) override {
    send_shared(std::make_shared<const std::string>(std::move(frame)), false);
  }
  void send_binary(std::string frame) override {
    send_shared(std::make_shared<const std::string>(std::move(frame)), true);
  }

  void send_shared(std::shared_ptr<const std::string> frame, bool binary) override {
    if (!frame || frame->empty()) return; // an empty frame over TLS asserts in 1.74; nothing to send anyway
    auto n = frame->size();
    if (queued_.fetch_add(n) + n > limits_.max_queue_bytes) {
      queued_.fetch_sub(n);
      overflow();
      return;
    }
    asio::post(ws_.get_executor(), [self = this->shared_from_this(), frame = std::move(frame), binary] {
      self->enqueue({{}, std::move(frame), binary});
    });
  }

  using connection::send_text_parts;
  void send_text_parts(std::shared_ptr<const std::string> prefix, std::shared_ptr<const std::string> body) override {
    if (!body || !prefix || (body->empty() && prefix->empty())) return;
    if (!reserve_send(prefix->size() + body->size())) return;
    asio::post(ws_.get_executor(),
               [self = this->shared_from_this(), prefix = std::move(prefix), body = std::move(body)]() mutable {
                 self->enqueue({std::move(prefix), std::move(body), false});
               });
  }

  bool reserve_send(std::size_t n) override {
    if (queued_.fetch_add(n) + n <= limits_.max_queue_bytes) return true;
    queued_.fetch_sub(n);
    overflow();
    return false;
  }

  void send_reserved_parts(std::shared_ptr<const std::string> prefix,
                           std::shared_ptr<const std::string> body) override {
    // Called on a network thread: entering the strand from here needs no cross-thread wake-up.
    asio::dispatch(ws_.get_executor(),
                   [self = this->shared_from_this(), prefix = std::move(prefix), body = std::move(body)]() mutable {
                     self->enqueue({std::move(prefix), std::move(body), false});
                   });
  }

  void run_on_network(std::function<void()> f) override {
    // The executor is this connection's strand; its context is the process's io_context.
    auto& ctx = asio::query(ws_.get_executor(), asio::execution::context);
    asio::post(static_cast<asio::io_context&>(ctx), std::move(f));
  }

  void notify_when_drained() override {
    // On the executor: the queue is only touched there, so "empty" cannot change under us.
    asio::post(ws_.get_executor(), [self = this->shared_from_this()] {
      if (self->finished_ || !self->handler_) return; // on_close comes (or came) instead
      if (self->drained()) return self->handler_->on_drained();
      self->drain_wanted_ = true;
    });
  }

  void close(int code, std::string reason) override {
    asio::post(ws_.get_executor(), [self = this->shared_from_this(), code, reason = std::move(reason)]() mutable {
      self->begin_close(static_cast<websocket::close_code>(code), std::move(reason));
    });
  }

  std::uint64_t id() const override { return id_; }
  const std::string& remote() const override { return remote_; }
  const std::string& target() const override { return target_; }
  std::size_t queued_bytes() const override { return queued_.load(); }

private:
  struct outgoing {
    /// Per-connection head of the message (null for whole frames); shared, because a fan-out
    /// sends the same head with every delta to this connection.
    std::shared_ptr<const std::string> prefix;
    std::shared_ptr<const std::string> data;
    bool binary;
    std::size_t size() const { return (prefix ? prefix->size() : 0) + data->size(); }
  };

  /// Nothing queued and nothing on its way to the queue: bytes reserved by a fanout_channel count
  /// from the moment they are reserved, so a drain notice cannot overtake a fan-out still on its
  /// way (the message that arrives later is written, and its completion sends the notice).
  bool drained() const { return queue_.empty() && queued_.load() == 0; }

  void do_read() { ws_.async_read(buffer_, beast::bind_front_handler(&ws_session::on_read, this->shared_from_this())); }

  void on_read(error_code ec, std::size_t) {
    if (ec) return finish(describe(ec));
    bool binary = ws_.got_binary();
    std::string data = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    if (handler_) handler_->on_message(std::move(data), binary);
    do_read(); // keep reading even while closing: the close handshake completes through the read
  }

  void enqueue(outgoing out) {
    if (closing_ || finished_) {
      queued_.fetch_sub(out.size());
      return;
    }
    queue_.push_back(std::move(out));
    if (queue_.size() == 1) do_write();
  }

  void do_write() {
    // Deque elements never move while others are pushed or popped: the buffers stay valid.
    auto& out = queue_.front();
    ws_.binary(out.binary);
    auto done = beast::bind_front_handler(&ws_session::on_write, this->shared_from_this());
    if (!out.prefix) return ws_.async_write(asio::buffer(*out.data), std::move(done));
    std::array<asio::const_buffer, 2> parts{asio::buffer(*out.prefix), asio::buffer(*out.data)};
    ws_.async_write(parts, std::move(done));
  }

  void on_write(error_code ec, std::size_t) {
    queued_.fetch_sub(queue_.front().size());
    queue_.pop_front();
    if (ec) return finish(describe(ec));
    if (!queue_.empty()) return do_write();
    if (drain_wanted_ && handler_ && drained()) {
      drain_wanted_ = false;
      handler_->on_drained();
    }
    if (close_pending_) start_close_handshake();
  }

  /// The peer does not read: it is closed with a policy error; other connections go on unaffected.
  void overflow() {
    bool expected = false;
    if (!overflowed_.compare_exchange_strong(expected, true)) return;
    close(static_cast<int>(websocket::close_code::policy_error), "send queue full");
  }

  void begin_close(websocket::close_code code, std::string reason) {
    if (closing_ || finished_) return;
    closing_ = true;
    close_reason_ = websocket::close_reason(code, reason.substr(0, 120));
    local_reason_ = reason;
    // Frames already queued go out first; a peer that never reads is cut after a grace period.
    close_timer_.expires_after(std::chrono::seconds(3));
    close_timer_.async_wait([self = this->shared_from_this()](error_code ec) {
      if (!ec && !self->finished_) self->abort("close timed out");
    });
    if (queue_.empty())
      start_close_handshake();
    else
      close_pending_ = true; // after the write in flight and the queue; the timer cuts a stuck peer
  }

  void start_close_handshake() {
    close_pending_ = false;
    ws_.async_close(close_reason_, [self = this->shared_from_this()](error_code ec) {
      if (ec) self->finish(self->local_reason_.empty() ? describe(ec) : self->local_reason_);
      // else: the read loop sees the peer's close frame and finishes.
    });
  }

  void abort(const std::string& why) {
    error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
    finish(why);
  }

  void finish(std::string reason) {
    if (finished_) return;
    finished_ = true;
    close_timer_.cancel();
    if (!local_reason_.empty()) reason = local_reason_;
    error_code ignored;
    // Beast 1.74 leaves the TCP socket of a TLS websocket open after close: close it ourselves.
    beast::get_lowest_layer(ws_).socket().close(ignored);
    if (auto h = std::move(handler_)) h->on_close(std::move(reason));
  }

  WsStream ws_;
  beast::flat_buffer buffer_;
  handler_ptr handler_;
  ws_limits limits_;
  std::uint64_t id_;
  std::string remote_, target_;
  std::deque<outgoing> queue_;
  std::atomic<std::size_t> queued_{0};
  std::atomic<bool> overflowed_{false};
  bool closing_ = false, close_pending_ = false, finished_ = false;
  bool drain_wanted_ = false; ///< notify_when_drained() was asked while frames were queued
  websocket::close_reason close_reason_;
  std::string local_reason_;
  asio::steady_timer close_timer_;
};

} // namespace mpk::net::detail
