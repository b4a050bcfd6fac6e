#include "tests/cluster/process.hpp"

#include <arpa/inet.h>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <netinet/in.h>
#include <random>
#include <utility>
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

namespace {

/// The kernel's range of ephemeral ports (bind to port 0, the local end of every outgoing
/// connection): /proc/sys/net/ipv4/ip_local_port_range, Linux's default when unreadable.
std::pair<unsigned, unsigned> ephemeral_ports() {
  unsigned low = 32768, high = 60999;
  std::ifstream f("/proc/sys/net/ipv4/ip_local_port_range");
  if (!(f >> low >> high) || low > high) return {32768, 60999};
  return {low, high};
}

/// Binds a socket to 127.0.0.1:`port` (0: the kernel picks) and closes it again; the port it got,
/// or 0 when the bind failed.
unsigned short bind_loopback(unsigned short port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  socklen_t len = sizeof a;
  unsigned short bound = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    bound = ntohs(a.sin_port);
  ::close(fd);
  return bound;
}

} // namespace

// A node port is picked here and given to a process that binds it a moment later. A port from the
// ephemeral range could meanwhile become the local end of some other connection on the machine
// (a concurrent test opens thousands), and the process would fail to publish. So the port comes
// from below that range, where the kernel never hands out ports by itself: chosen at random among
// the bindable ones, so that tests running side by side rarely pick the same.
unsigned short free_port() {
  static std::mt19937 pick{std::random_device{}()};
  auto [low, high] = ephemeral_ports();
  unsigned from = 0, to = 0;
  if (low > 21000)
    from = 20000, to = low - 1; // below the range (Linux's default: 20000-32767)
  else if (high < 64535)
    from = high + 1, to = 65535; // above it
  std::uniform_int_distribution<unsigned> in_range(from, to);
  for (int attempt = 0; to != 0 && attempt < 200; ++attempt) {
    auto port = static_cast<unsigned short>(in_range(pick));
    if (bind_loopback(port) == port) return port;
  }
  // No room outside the range: the kernel's choice, free a moment ago.
  return bind_loopback(0);
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
