#pragma once
// Internal: idle keep-alive connections of the HTTP client, per origin.
//
// A phone session polls its phone's screen through the Devices App's passthrough every
// 250–1000 ms. A new TCP (or TLS) connection per poll cost the back end a socket, a connect, a
// shutdown and a close, two epoll registrations and a timer each time; the Devices App the same
// on its side. An exchange whose response allows it leaves its connection here, and the next
// GET or HEAD to the same origin takes it again.

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace mpk::net::detail {

/// Idle connections of one stream type (plain or TLS), by origin key. Thread-safe.
template <class Stream>
class idle_pool {
public:
  using clock = std::chrono::steady_clock;
  /// Kept at most this long unused: below the usual server keep-alive timeouts (5 s and more),
  /// so a connection is dropped here before the server drops it.
  static constexpr std::chrono::seconds idle_limit{4};
  /// Kept at most this many per origin: the polls in flight at once, not the phones.
  static constexpr std::size_t max_per_origin = 32;

  explicit idle_pool(boost::asio::io_context& ioc) : sweep_(ioc) {}

  /// The most recently parked live connection to `origin`, if any. A connection the peer has
  /// closed (or that holds unexpected bytes) is dropped on the way.
  std::unique_ptr<Stream> take(const std::string& origin) {
    std::lock_guard<std::mutex> guard{mutex_};
    auto it = idle_.find(origin);
    if (it == idle_.end()) return nullptr;
    auto& list = it->second;
    auto now = clock::now();
    while (!list.empty()) {
      auto entry = std::move(list.back());
      list.pop_back();
      if (now - entry.parked < idle_limit && still_open(*entry.stream)) {
        if (list.empty()) idle_.erase(it);
        return std::move(entry.stream);
      }
    }
    idle_.erase(it);
    return nullptr;
  }

  /// Parks a connection whose last exchange ended cleanly and allows keep-alive.
  void give_back(const std::string& origin, std::unique_ptr<Stream> stream) {
    std::lock_guard<std::mutex> guard{mutex_};
    auto& list = idle_[origin];
    if (list.size() >= max_per_origin) return; // the stream closes as it goes out of scope
    list.push_back(entry{std::move(stream), clock::now()});
    arm_sweep();
  }

  std::size_t idle_count() const {
    std::lock_guard<std::mutex> guard{mutex_};
    std::size_t n = 0;
    for (auto& [origin, list] : idle_) n += list.size();
    return n;
  }

private:
  // Beast's streams move-construct but do not move-assign: held by pointer.
  struct entry {
    std::unique_ptr<Stream> stream;
    clock::time_point parked;
  };

  /// A non-blocking peek: 0 bytes = the peer closed; any byte = a response nobody asked for.
  static bool still_open(Stream& stream) {
    auto& socket = boost::beast::get_lowest_layer(stream).socket();
    if (!socket.is_open()) return false;
    char byte;
    ssize_t n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }

  /// While anything is parked, a sweep every idle_limit closes what expired (otherwise a
  /// connection to an origin nobody polls any more would sit in CLOSE_WAIT).
  void arm_sweep() {
    if (sweeping_) return;
    sweeping_ = true;
    sweep_.expires_after(idle_limit);
    sweep_.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      std::vector<entry> expired; // closed outside the lock
      std::lock_guard<std::mutex> guard{mutex_};
      sweeping_ = false;
      auto now = clock::now();
      for (auto it = idle_.begin(); it != idle_.end();) {
        auto& list = it->second;
        for (auto e = list.begin(); e != list.end();)
          if (now - e->parked >= idle_limit) {
            expired.push_back(std::move(*e));
            e = list.erase(e);
          } else {
            ++e;
          }
        it = list.empty() ? idle_.erase(it) : std::next(it);
      }
      if (!idle_.empty()) arm_sweep();
    });
  }

  mutable std::mutex mutex_;
  std::map<std::string, std::vector<entry>> idle_;
  boost::asio::steady_timer sweep_;
  bool sweeping_ = false;
};

} // namespace mpk::net::detail
