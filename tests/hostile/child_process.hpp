#pragma once
// The product as a child process for end-to-end hostile-input tests: started with its own free
// ports, its resident memory read from /proc, stopped (SIGTERM, then SIGKILL) by the destructor.

#include <chrono>
#include <string>
#include <vector>

namespace mpk::test {

class child_process {
public:
  /// Starts `exe` with `args`; its stdout and stderr go to the file `log_path` (a file, not a
  /// pipe: a chatty child never blocks on a reader that is busy attacking it).
  child_process(const std::string& exe, const std::vector<std::string>& args, const std::string& log_path);
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  /// Reads output until a line contains `needle`; that line, or "" on timeout/exit.
  std::string wait_for_line(const std::string& needle, std::chrono::milliseconds timeout);
  /// Everything read from the child so far (for failure messages and secret scans).
  const std::string& output() const { return out_; }
  /// Reads what the child has written since the last call, without waiting.
  void drain();
  /// VmRSS of the child in KiB; 0 if it is gone.
  long rss_kib() const;
  bool running();
  int pid() const { return pid_; }
  /// SIGTERM, wait up to `grace`, then SIGKILL; returns the exit status (-1 if killed).
  int stop(std::chrono::milliseconds grace = std::chrono::seconds(5));

private:
  bool read_some(int timeout_ms);
  int pid_ = -1, fd_ = -1, status_ = 0;
  bool exited_ = false;
  std::string out_;
};

} // namespace mpk::test
