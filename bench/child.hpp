#pragma once
/// A child process for the benchmark drivers (the simulator, the product's back end, the Node
/// reference): started with pipes on stdin and stdout, read line by line, stopped by pid only.

#include <optional>
#include <string>
#include <vector>

namespace mpk::bench {

class child {
public:
  /// Starts `argv[0]` with `argv`; `ok()` is false when it could not be started.
  explicit child(const std::vector<std::string>& argv);
  ~child();
  child(const child&) = delete;
  child& operator=(const child&) = delete;

  bool ok() const { return pid_ > 0; }
  int pid() const { return pid_; }
  /// The next line of its stdout; nullopt at end of file or after `timeout_ms`.
  std::optional<std::string> read_line(int timeout_ms);
  /// Reads lines until one starts with `prefix` (returned); every `figure`/`note` line seen on
  /// the way is echoed to our stdout with `tag` in front of its name.
  std::optional<std::string> wait_for(const std::string& prefix, int timeout_ms, const std::string& tag = "");
  /// Writes one line to its stdin.
  void write_line(const std::string& line);
  /// Closes its stdin, waits up to `grace_ms` for it to exit, then SIGTERM, then SIGKILL.
  void stop(int grace_ms = 3000);

private:
  int pid_ = -1;
  int in_ = -1, out_ = -1;
  std::string buf_;
};

} // namespace mpk::bench
