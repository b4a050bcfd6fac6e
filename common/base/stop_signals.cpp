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
  return set;
}

} // namespace

void block_stop_signals() {
  auto set = stop_set();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

void wait_for_stop_signal() {
  auto set = stop_set();
  int sig = 0;
  sigwait(&set, &sig);
  MPK_INFO("main", "signal ", sig, ": shutting down");
}

} // namespace mpk
