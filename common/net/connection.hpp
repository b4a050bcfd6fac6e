#pragma once
// The boundary between the network (Asio/Beast) and the application (actors):
// a thread-safe connection handle and the callbacks of one connection. No Beast types here.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mpk::net {

using header_fields = std::vector<std::pair<std::string, std::string>>;

/// Limits every websocket carries, client or server side.
struct ws_limits {
  std::size_t max_message_bytes = 1 << 20; ///< larger incoming frames close the connection (1009)
  std::size_t max_queue_bytes = 8 << 20;   ///< outgoing bytes queued before the peer counts as stuck
  std::chrono::seconds idle_timeout{60};   ///< no traffic for this long (pings unanswered) closes
  std::chrono::seconds handshake_timeout{15};
};

/// One websocket connection. Every member may be called from any thread: sends are posted to the
/// connection's strand and queued (single writer), capped at max_queue_bytes.
class connection {
public:
  virtual ~connection() = default;
  virtual void send_text(std::string frame) = 0;
  virtual void send_binary(std::string frame) = 0;
  /// Fan-out: one encoded frame shared by many connections.
  virtual void send_shared(std::shared_ptr<const std::string> frame, bool binary) = 0;
  /// Fan-out with a per-connection head: ONE text message `prefix + *body`, written from two
  /// buffers so that a body shared by many connections is never copied per connection.
  virtual void send_text_parts(std::shared_ptr<const std::string> prefix, std::shared_ptr<const std::string> body) = 0;
  void send_text_parts(std::string prefix, std::shared_ptr<const std::string> body) {
    send_text_parts(std::make_shared<const std::string>(std::move(prefix)), std::move(body));
  }
  /// Asks for one on_drained() call as soon as nothing is queued or being written any more (at
  /// once when that is already so). Lets a sender merge what it would queue behind a slow peer.
  virtual void notify_when_drained() = 0;
  /// Sends the queued frames, then a close frame with `code` (1000 normal, 1008 policy, 1011 error).
  virtual void close(int code, std::string reason) = 0;
  virtual std::uint64_t id() const = 0;
  virtual const std::string& remote() const = 0; ///< peer address:port
  virtual const std::string& target() const = 0; ///< request target of the upgrade
  virtual std::size_t queued_bytes() const = 0;

  // -- for net::fanout_channel (fanout.hpp): one hand-over to the network for many connections ----
  /// Counts `n` more bytes as queued, from any thread; false if that passes max_queue_bytes (the
  /// connection then closes with a policy error, as send_text_parts does).
  virtual bool reserve_send(std::size_t n) = 0;
  /// On a network thread: queues ONE text message `prefix + *body` whose bytes reserve_send counted.
  virtual void send_reserved_parts(std::shared_ptr<const std::string> prefix,
                                   std::shared_ptr<const std::string> body) = 0;
  /// Runs `f` on one of this connection's network threads (outside its strand).
  virtual void run_on_network(std::function<void()> f) = 0;
};
using connection_ptr = std::shared_ptr<connection>;

/// Callbacks of one connection, called on its strand, one at a time, in order:
/// on_open once, then on_message for each frame, then on_close once.
class connection_handler {
public:
  virtual ~connection_handler() = default;
  virtual void on_open(const connection_ptr& conn) = 0;
  virtual void on_message(std::string data, bool binary) = 0;
  /// `reason` says why in plain words ("closed by peer", "idle timeout", "send queue full", ...).
  virtual void on_close(std::string reason) = 0;
  /// The send queue ran empty after notify_when_drained() (never after on_close).
  virtual void on_drained() {}
};
using handler_ptr = std::shared_ptr<connection_handler>;

/// A plain HTTP request as the server received it.
struct http_request_info {
  std::string method, target, body, remote;
  header_fields headers;
  bool tls = false;                                ///< arrived over TLS
  std::string header(std::string_view name) const; ///< case-insensitive, "" if absent
};

struct http_reply {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  header_fields headers;
  static http_reply text(int status, std::string body);
  static http_reply json(int status, std::string body);
};

/// TLS settings of an outgoing connection.
struct tls_client_options {
  std::string ca_file;   ///< extra CA bundle; the system store is always used too
  bool insecure = false; ///< lab switch: no certificate verification (logged as a warning)
  /// The operator's pin for this peer (cert_text.hpp): 64 lower-case hex digits of the SHA-256 of
  /// the one certificate accepted, whoever issued it; "" = verify by CA and host name.
  std::string pin;
};

} // namespace mpk::net
