#pragma once
// A deliberately bad websocket client on a plain blocking socket: it reads only when told to,
// so the server sees a browser that stops reading (a slow reader), and it can send frames no
// library would (oversize, fragments). Tests only.

#include <chrono>
#include <optional>
#include <string>

namespace mpk::test {

class raw_ws {
public:
  /// Connects to 127.0.0.1:`port` and upgrades on `path`; `rcvbuf` (bytes) keeps the kernel
  /// buffer small so a stalled reader pushes back on the server quickly.
  raw_ws(int port, const std::string& path, int rcvbuf = 16 * 1024);
  ~raw_ws();
  raw_ws(const raw_ws&) = delete;
  raw_ws& operator=(const raw_ws&) = delete;

  bool ok() const { return ok_; }
  /// Sends one masked text frame; false once the socket is unusable or the send would block
  /// for longer than `timeout`.
  bool send_text(const std::string& payload, std::chrono::milliseconds timeout = std::chrono::seconds(2));

  struct frame {
    int opcode = 0;
    std::string payload;
  };
  /// Reads the next complete frame (text/binary/close) within `timeout`.
  std::optional<frame> next(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  /// The next text frame containing `needle`, earlier frames dropped.
  std::optional<std::string> next_containing(const std::string& needle,
                                             std::chrono::milliseconds timeout = std::chrono::seconds(5));
  /// Reads and drops everything until the server closes (close frame or EOF); the close code
  /// (0 for a bare EOF/reset) or nullopt on timeout. Counts the bytes read.
  std::optional<int> read_until_closed(std::chrono::milliseconds timeout, std::size_t* bytes = nullptr);

private:
  bool fill(std::chrono::steady_clock::time_point deadline);
  int fd_ = -1;
  bool ok_ = false, eof_ = false;
  std::string in_;
};

} // namespace mpk::test
