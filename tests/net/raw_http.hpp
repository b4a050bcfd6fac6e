#pragma once
// HTTP/1.1 on plain blocking sockets for tests that must see exactly which bytes and fields went
// over the wire: a scripted origin server (the test writes each answer, in as many steps as it
// likes) and a client connection.

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace mpk::test {

/// One message as it arrived: start line, fields in order, body (chunked bodies decoded).
struct raw_message {
  std::string start; ///< "GET /x HTTP/1.1" or "HTTP/1.1 200 OK"
  std::vector<std::pair<std::string, std::string>> fields;
  std::string body;
  bool chunked = false;

  int status() const;         ///< of a response
  std::string method() const; ///< of a request
  std::string target() const; ///< of a request
  /// The first field of that name (case-insensitive), "" when absent.
  std::string field(std::string_view name) const;
  std::vector<std::string> all(std::string_view name) const;
  bool has(std::string_view name) const;
  /// Every field as "Name: value" lines.
  std::string head_text() const;
};

/// Reads one message from `fd` (blocking; `buffered` keeps bytes of the next one). A response
/// without length and not chunked ends with the connection. `progress` sees the body bytes
/// received so far as they arrive. nullopt on a broken or timed-out read.
std::optional<raw_message> read_message(int fd, std::string& buffered, bool is_response, bool head_request = false,
                                        const std::function<void(std::size_t)>& progress = {});

/// A listening socket on 127.0.0.1 at a port the system chose (`port` gets it).
int listen_loopback(int& port);

/// Writes every byte (false when the peer went away).
bool send_all(int fd, std::string_view bytes);

/// A server on 127.0.0.1 (port chosen by the system); one thread per connection reads requests
/// and hands each to the handler, which writes the answer on `fd` itself. The handler returns
/// false to close the connection afterwards.
class scripted_origin {
public:
  using handler = std::function<bool(const raw_message& request, int fd)>;
  explicit scripted_origin(handler h);
  ~scripted_origin();
  scripted_origin(const scripted_origin&) = delete;
  scripted_origin& operator=(const scripted_origin&) = delete;

  int port() const { return port_; }
  std::vector<raw_message> requests() const;
  int connections() const;

private:
  void accept_loop();
  void serve(int fd);

  handler handler_;
  int listener_ = -1;
  int port_ = 0;
  mutable std::mutex mu_;
  std::vector<raw_message> requests_;
  std::vector<int> open_fds_;
  int connections_ = 0;
  bool stopping_ = false;
  std::thread acceptor_;
  std::vector<std::thread> workers_;
};

/// One client connection to 127.0.0.1:port (reads time out after 15 s).
class raw_client {
public:
  explicit raw_client(int port);
  ~raw_client();
  raw_client(const raw_client&) = delete;
  raw_client& operator=(const raw_client&) = delete;

  bool send(std::string_view bytes);
  std::optional<raw_message> response(bool head_request = false, const std::function<void(std::size_t)>& progress = {});
  /// True when the server closed the connection (EOF) within `wait`.
  bool closed_by_peer(std::chrono::milliseconds wait);
  int fd() const { return fd_; }

private:
  int fd_ = -1;
  std::string buffered_;
};

/// A complete request: `method target`, the given field lines ("Name: value"), Host (127.0.0.1
/// unless given), and a Content-Length body when `body` is set.
std::string request_bytes(std::string_view method, std::string_view target, const std::vector<std::string>& fields,
                          std::optional<std::string_view> body = std::nullopt);

} // namespace mpk::test
