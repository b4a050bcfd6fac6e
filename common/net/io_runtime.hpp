#pragma once
// The Asio side of a process: one io_context run by a few threads. Actors never block on it.

#include <memory>

namespace mpk::net {

namespace detail {
struct runtime_access;
}

class io_runtime {
public:
  explicit io_runtime(int threads = 1);
  ~io_runtime();
  io_runtime(const io_runtime&) = delete;
  io_runtime& operator=(const io_runtime&) = delete;

  /// Stops the io_context and joins its threads (idempotent).
  void stop();
  /// Outgoing TLS made from now on reads tls.ca-file again (SIGHUP); open connections go on.
  void reload_tls_clients();

private:
  friend struct detail::runtime_access;
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace mpk::net
