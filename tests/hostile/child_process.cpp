#include "tests/hostile/child_process.hpp"

#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace mpk::test {

child_process::child_process(const std::string& exe, const std::vector<std::string>& args,
                             const std::string& log_path) {
  int out = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out < 0) return;
  fd_ = open(log_path.c_str(), O_RDONLY | O_CLOEXEC);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, out, 1);
  posix_spawn_file_actions_adddup2(&fa, out, 2);
  std::vector<std::string> all{exe};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  if (posix_spawn(&pid_, exe.c_str(), &fa, nullptr, argv.data(), environ) != 0) pid_ = -1;
  posix_spawn_file_actions_destroy(&fa);
  close(out);
}

child_process::~child_process() {
  stop();
  if (fd_ >= 0) close(fd_);
}

bool child_process::read_some(int timeout_ms) {
  if (fd_ < 0) return false;
  char buf[65536];
  auto n = read(fd_, buf, sizeof buf);
  if (n <= 0) {
    // A regular file at its end: wait a little for the child to write more.
    if (timeout_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(timeout_ms));
    return false;
  }
  out_.append(buf, static_cast<std::size_t>(n));
  return true;
}

void child_process::drain() {
  while (read_some(0)) {}
}

std::string child_process::wait_for_line(const std::string& needle, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::size_t searched = 0;
  for (;;) {
    auto at = out_.find(needle, searched > needle.size() ? searched - needle.size() : 0);
    if (at != std::string::npos) {
      auto begin = out_.rfind('\n', at);
      begin = begin == std::string::npos ? 0 : begin + 1;
      auto end = out_.find('\n', at);
      return out_.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
    }
    searched = out_.size();
    if (std::chrono::steady_clock::now() > deadline || !running()) return {};
    read_some(100);
  }
}

long child_process::rss_kib() const {
  if (pid_ <= 0) return 0;
  std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return 0;
}

bool child_process::running() {
  if (pid_ <= 0 || exited_) return false;
  int st = 0;
  if (waitpid(pid_, &st, WNOHANG) == pid_) {
    exited_ = true;
    status_ = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return false;
  }
  return true;
}

int child_process::stop(std::chrono::milliseconds grace) {
  if (!running()) return status_;
  kill(pid_, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (running() && std::chrono::steady_clock::now() < deadline) {
    drain();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (running()) {
    kill(pid_, SIGKILL);
    int st = 0;
    waitpid(pid_, &st, 0);
    exited_ = true;
    status_ = -1;
  }
  drain();
  return status_;
}

} // namespace mpk::test
