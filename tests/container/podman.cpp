#include "tests/container/podman.hpp"

#include <array>
#include <cstdio>
#include <fstream>
#include <signal.h>
#include <sstream>
#include <sys/wait.h>

namespace mpk::test {

namespace {

/// Runs a shell command; its exit code and standard output.
int run(const std::string& command, std::string* out = nullptr) {
  FILE* p = ::popen((command + " 2>/dev/null").c_str(), "r");
  if (!p) return -1;
  std::array<char, 4096> buf{};
  std::string text;
  while (auto n = std::fread(buf.data(), 1, buf.size(), p)) text.append(buf.data(), n);
  int status = ::pclose(p);
  if (out) *out = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// Container names come from the compose project; quoting keeps them one argument anyway.
std::string quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

} // namespace

std::optional<container_state> inspect_container(const std::string& name) {
  std::string out;
  if (run("podman inspect --format '{{.State.Running}} {{.RestartCount}} {{.State.Pid}}' " + quoted(name), &out) != 0)
    return std::nullopt;
  std::istringstream in(out);
  std::string running;
  container_state s;
  if (!(in >> running >> s.restarts >> s.pid)) return std::nullopt;
  s.running = running == "true";
  return s;
}

bool container_healthy(const std::string& name) { return run("podman healthcheck run " + quoted(name)) == 0; }

int crash_service(const std::string& name, std::string& error) {
  auto s = inspect_container(name);
  if (!s || !s->running || s->pid <= 0) {
    error = name + " is not running";
    return 0;
  }
  int target = s->pid;
  std::ifstream children("/proc/" + std::to_string(s->pid) + "/task/" + std::to_string(s->pid) + "/children");
  int child = 0;
  if (children >> child && child > 0) target = child;
  if (::kill(target, SIGKILL) != 0) {
    error = "kill " + std::to_string(target) + " failed";
    return 0;
  }
  return target;
}

} // namespace mpk::test
