#pragma once
/// The client side of the fan-out benchmark: many websocket clients on one Asio thread, each
/// logged in as the operator (password login) and subscribed to the whole device list — or, for
/// the Node reference, just connected. Every device record named `bench <µs stamp> <k>` that
/// reaches a client counts as one delivery, with latency = arrival - stamp; with `stride`, so do
/// the earlier changes of the same device that a merged delta replaced by this newer state.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mpk::bench {

struct load_options {
  std::string host = "127.0.0.1";
  unsigned short port = 0;
  std::string path = "/bench.example.com/myphonekeys";
  int clients = 1000;
  bool login = true; ///< false: the Node reference (no protocol, only broadcasts)
  std::string operator_name = "bench", operator_password = "bench";
  /// Change k renames device k % stride: a client that gets k' = k + stride (a merged delta: the
  /// server sent only the newest name) has had k delivered too. 0: every change counted alone.
  int stride = 0;
  int max_changes = 0; ///< changes the driver may note_sent (for the latency of merged ones)
  bool tls = false;    ///< wss (TLS 1.3) to the gateway, verified with `ca_file`
  std::string ca_file;
};

class load_gen {
public:
  explicit load_gen(load_options o);
  ~load_gen();
  /// Connects every client; true when all are ready (logged in and subscribed) within `timeout_ms`.
  bool start(int timeout_ms);
  int ready() const;
  int failed() const;
  std::uint64_t deliveries() const;
  std::uint64_t messages() const;
  std::uint64_t superseded() const; ///< deliveries that arrived as a newer state of the same device
  std::uint64_t duplicates() const; ///< changes that reached a client more than once (must be 0)
  /// The driver sent change k at `stamp_us` (wall_us); before the change can arrive anywhere.
  void note_sent(int k, std::int64_t stamp_us);
  /// Latencies (ms) of every delivery since the last call (taken on the clients' thread).
  std::vector<double> take_latencies();
  void stop();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// The operator login of the app protocol (AppChallenge → AppLogin) and a QueryDevices on one
/// blocking websocket: the query benchmark's client. All calls return false/nullopt on error.
class query_client {
public:
  query_client();
  ~query_client();
  bool open(const load_options& o);
  /// Sends `request` (a JSON object with "mt") and waits for the message whose mt is `result_mt`.
  bool call(const std::string& request, const std::string& result_mt, std::string& result);

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// The AppLogin message of the operator password login for `challenge`.
std::string operator_login(const load_options& o, const std::string& challenge);
/// The string value of `"key":"…"` in `json` (first occurrence, no escapes), or "".
std::string string_member(const std::string& json, const std::string& key);

} // namespace mpk::bench
