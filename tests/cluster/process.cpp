#include "tests/cluster/process.hpp"

#include <arpa/inet.h>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <netinet/in.h>
#include <sstream>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace mpk::test {

child_process::~child_process() {
  if (pid_ > 0) {
    ::kill(pid_, SIGCONT);
    ::kill(pid_, SIGKILL);
    int st = 0;
    ::waitpid(pid_, &st, 0);
  }
}

bool child_process::start(const std::string& path, const std::vector<std::string>& args, const std::string& log_base) {
  log_base_ = log_base;
  std::vector<std::string> all{path};
  all.insert(all.end(), args.begin(), args.end());
  auto out = log_base + ".out", err = log_base + ".err";
  pid_t pid = ::fork();
  if (pid < 0) return false;
  if (pid == 0) {
    int fo = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int fe = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fo >= 0) ::dup2(fo, 1);
    if (fe >= 0) ::dup2(fe, 2);
    // Nothing else of the parent's: a process restarted under load inherited the test's client
    // sockets (asio opens them without close-on-exec) and held them open for its whole life.
    if (::close_range(3, ~0u, 0) != 0)
      for (int fd = 3, n = static_cast<int>(::sysconf(_SC_OPEN_MAX)); fd < n; ++fd) ::close(fd);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(path.c_str(), argv.data());
    ::_exit(127);
  }
  pid_ = pid;
  return true;
}

void child_process::signal(int sig) {
  if (pid_ > 0) ::kill(pid_, sig);
}

std::optional<int> child_process::wait_exit(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return std::nullopt;
  auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    int st = 0;
    if (::waitpid(pid_, &st, WNOHANG) == pid_) {
      pid_ = -1;
      return st;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return std::nullopt;
}

std::string child_process::output(bool err) const {
  std::ifstream f(log_base_ + (err ? ".err" : ".out"));
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::optional<std::string> child_process::wait_output(const std::string& needle, std::chrono::milliseconds timeout,
                                                      bool err) const {
  auto end = std::chrono::steady_clock::now() + timeout;
  do {
    auto text = output(err);
    if (text.find(needle) != std::string::npos) return text;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  } while (std::chrono::steady_clock::now() < end);
  return std::nullopt;
}

unsigned short free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  unsigned short port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.sin_port);
  ::close(fd);
  return port;
}

std::optional<std::string> http_get(unsigned short port, const std::string& path, int* status) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return std::nullopt;
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return std::nullopt;
  }
  std::string req = "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  ::send(fd, req.data(), req.size(), MSG_NOSIGNAL);
  std::string resp;
  char buf[65536];
  for (;;) {
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    resp.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  auto sp = resp.find(' ');
  auto body = resp.find("\r\n\r\n");
  if (sp == std::string::npos || body == std::string::npos) return std::nullopt;
  int code = std::atoi(resp.c_str() + sp + 1);
  if (status) *status = code;
  if (code != 200) return std::nullopt;
  return resp.substr(body + 4);
}

} // namespace mpk::test
