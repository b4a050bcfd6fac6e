#pragma once
// Test helper: a child process (fork/exec) with stdout/stderr in files, signals, bounded waits.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace mpk::test {

class child_process {
public:
  child_process() = default;
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;
  ~child_process(); ///< SIGKILL if still running

  /// Starts `path args...`; output goes to `<log_base>.out` / `.err`. False if fork/exec failed.
  bool start(const std::string& path, const std::vector<std::string>& args, const std::string& log_base);
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  void signal(int sig);
  /// Waits for the exit; the raw wait status, or nullopt if it did not exit in time.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);
  /// Waits until the file `<log_base>.out` (or .err with `err`) contains `needle`; the whole text then.
  std::optional<std::string> wait_output(const std::string& needle, std::chrono::milliseconds timeout,
                                         bool err = false) const;
  std::string output(bool err = false) const;

private:
  pid_t pid_ = -1;
  std::string log_base_;
};

/// A TCP port on 127.0.0.1 that was free a moment ago, outside the kernel's ephemeral range when
/// there is room (process.cpp says why).
unsigned short free_port();

/// Blocking HTTP/1.0 GET to 127.0.0.1:port; the body, or nullopt (status != 200 or no answer).
std::optional<std::string> http_get(unsigned short port, const std::string& path, int* status = nullptr);

} // namespace mpk::test
