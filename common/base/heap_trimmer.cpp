#include "common/base/heap_trimmer.hpp"

#include "common/base/log.hpp"

#include <malloc.h>

#include <algorithm>
#include <cstdio>
#include <unistd.h>

namespace mpk {

heap_trimmer::heap_trimmer(std::chrono::seconds every) {
  if (every.count() > 0) thread_ = std::thread([this, every] { run(every); });
}

heap_trimmer::~heap_trimmer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

namespace {

std::size_t resident_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  unsigned long size = 0, resident = 0;
  int n = std::fscanf(f, "%lu %lu", &size, &resident);
  std::fclose(f);
  return n == 2 ? resident * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE)) : 0;
}

} // namespace

std::pair<std::size_t, std::size_t> heap_trimmer::trim_now() {
  auto before = resident_bytes();
  ::malloc_trim(0);
  return {before, resident_bytes()};
}

void heap_trimmer::run(std::chrono::seconds every) {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, every, [this] { return stop_; })) {
    lock.unlock();
    auto start = std::chrono::steady_clock::now();
    if (log::trace_enabled(log::category::app)) {
      auto [before, after] = trim_now();
      auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
      MPK_TRACE(app, "heap", "trimmed in ", us.count(), " us: resident ", before / 1024, " KB before, ", after / 1024,
                " KB after");
    } else {
      ::malloc_trim(0);
    }
    lock.lock();
  }
}

void add_heap_trim_option(config::settings& s) {
  s.add("heap-trim-seconds", "60",
        "give the memory the allocator keeps free back to the system every N seconds (0 = never)");
}

std::chrono::seconds heap_trim_interval(const config::settings& s) {
  return std::chrono::seconds(std::max<std::int64_t>(0, s.get_int("heap-trim-seconds")));
}

} // namespace mpk
