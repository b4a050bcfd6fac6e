#include "bench/child.hpp"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <utility>

namespace mpk::bench {

child::child(const std::vector<std::string>& argv) {
  int to_child[2], from_child[2];
  if (pipe(to_child) != 0) return;
  if (pipe(from_child) != 0) {
    close(to_child[0]), close(to_child[1]);
    return;
  }
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(to_child[0], 0);
    dup2(from_child[1], 1);
    close(to_child[0]), close(to_child[1]), close(from_child[0]), close(from_child[1]);
    execvp(args[0], args.data());
    std::perror("exec");
    _exit(127);
  }
  close(to_child[0]);
  close(from_child[1]);
  if (pid < 0) {
    close(to_child[1]), close(from_child[0]);
    return;
  }
  pid_ = pid;
  in_ = to_child[1];
  out_ = from_child[0];
}

child::~child() { stop(); }

std::optional<std::string> child::read_line(int timeout_ms) {
  auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    auto nl = buf_.find('\n');
    if (nl != std::string::npos) {
      auto line = buf_.substr(0, nl);
      buf_.erase(0, nl + 1);
      return line;
    }
    if (out_ < 0) return std::nullopt;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now()).count();
    if (left <= 0) return std::nullopt;
    pollfd p{out_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left)) <= 0) continue;
    char chunk[4096];
    auto n = ::read(out_, chunk, sizeof chunk);
    if (n <= 0) {
      close(out_);
      out_ = -1;
      if (!buf_.empty()) return std::exchange(buf_, {});
      return std::nullopt;
    }
    buf_.append(chunk, static_cast<std::size_t>(n));
  }
}

std::optional<std::string> child::wait_for(const std::string& prefix, int timeout_ms, const std::string& tag) {
  auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now()).count();
    if (left <= 0) return std::nullopt;
    auto line = read_line(static_cast<int>(left));
    if (!line) return std::nullopt;
    if (line->rfind(prefix, 0) == 0) return line;
    if (line->rfind("figure ", 0) == 0 || line->rfind("note ", 0) == 0) {
      auto sp = line->find(' ');
      std::printf("%s %s%s\n", line->substr(0, sp).c_str(), tag.c_str(), line->substr(sp + 1).c_str());
      std::fflush(stdout);
    }
  }
}

void child::write_line(const std::string& line) {
  if (in_ < 0) return;
  auto s = line + "\n";
  if (::write(in_, s.data(), s.size()) < 0) {
    close(in_);
    in_ = -1;
  }
}

void child::stop(int grace_ms) {
  if (in_ >= 0) close(in_), in_ = -1;
  if (pid_ > 0) {
    int status = 0;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(grace_ms);
    bool gone = false;
    while (std::chrono::steady_clock::now() < deadline)
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        gone = true;
        break;
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    if (!gone) {
      kill(pid_, SIGTERM);
      for (int i = 0; i < 100 && !gone; ++i) {
        if (waitpid(pid_, &status, WNOHANG) == pid_)
          gone = true;
        else
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      if (!gone) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
      }
    }
    pid_ = -1;
  }
  if (out_ >= 0) close(out_), out_ = -1;
}

} // namespace mpk::bench
