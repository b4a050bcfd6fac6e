#include "common/base/stop_signals.hpp"

#include "common/base/log.hpp"

#include <csignal>
#include <pthread.h>

namespace mpk {

namespace {

sigset_t stop_set() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  return set;
}

} // namespace

void block_stop_signals() {
  auto set = stop_set();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

void wait_for_stop_signal(const std::function<void()>& on_hangup) {
  auto set = stop_set();
  int sig = 0;
  while (true) {
    sigwait(&set, &sig);
    if (sig != SIGHUP) break;
    MPK_INFO("main", "SIGHUP: ", on_hangup ? "reloading" : "nothing to reload");
    if (on_hangup) on_hangup();
  }
  MPK_INFO("main", "signal ", sig, ": shutting down");
}

} // namespace mpk
