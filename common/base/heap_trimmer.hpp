#pragma once
/// Gives the memory glibc keeps free inside its arenas back to the system, now and then.
///
/// glibc hands freed memory back only from the top of an arena (and whole mmap'ed blocks); free
/// pages below the top stay in the process's RSS until malloc needs them again. After a burst
/// (a restarted registry: every list gets a fresh page or a large change at once) the gateway
/// kept up to 7 MB free in its 9 arenas while its heap in use stayed flat, and RSS showed that
/// as growth (docs/security.md, "Endurance"). malloc_trim(0) releases those pages (madvise); a
/// page used again later costs one page fault. One thread, asleep between trims.

#include "common/base/config.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace mpk {

class heap_trimmer {
public:
  /// Trims every `every` (zero: never; no thread then).
  explicit heap_trimmer(std::chrono::seconds every);
  ~heap_trimmer(); ///< stops and joins the thread
  heap_trimmer(const heap_trimmer&) = delete;
  heap_trimmer& operator=(const heap_trimmer&) = delete;

  /// One trim now; the process's resident bytes before and after (/proc/self/statm).
  static std::pair<std::size_t, std::size_t> trim_now();

private:
  void run(std::chrono::seconds every);

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

/// Declares heap-trim-seconds (every product process).
void add_heap_trim_option(config::settings& s);
/// The interval heap-trim-seconds names (negative values count as zero).
std::chrono::seconds heap_trim_interval(const config::settings& s);

} // namespace mpk
