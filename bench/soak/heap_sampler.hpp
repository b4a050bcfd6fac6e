#pragma once
/// Heap in use of the product's processes over time, as glibc's allocator counts it
/// (`mallinfo2()`, called in the process by `gdb -p <pid> -batch`; needs gdb and libc6-dbg).
/// RSS alone cannot tell a leak from memory glibc keeps after a burst: in use is what the process
/// holds, "held" what glibc took from the system for it. gdb stops the process for some 30 ms per
/// sample (its other threads run while the call runs, so no allocator lock is held against it) but
/// reads the program's symbols for tens of seconds of CPU first, hence minutes apart, not the RSS
/// sampler's seconds.

#include <string>
#include <utility>
#include <vector>

namespace mpk::soak {

struct heap_sample {
  double t = 0; ///< soak seconds
  std::string process;
  int pid = 0;
  double rss_mb = 0;
  double in_use_mb = 0; ///< uordblks + hblkhd: allocated and not freed, arenas and mmapped chunks
  double held_mb = 0;   ///< arena + hblkhd: what the allocator took from the system
  double free_mb = 0;   ///< fordblks: free inside the arenas, kept by glibc
  int arenas = 0;
};

/// One heap reading of process `pid` through gdb; false (with `error`) when gdb is missing, the
/// process is gone or libc's symbols are not there.
bool read_heap(int pid, heap_sample& out, std::string& error);

class heap_sampler {
public:
  /// Samples every process of `processes` (name → pid; 0: not running) now, prints one line each.
  void sample(const std::vector<std::pair<std::string, int>>& processes);
  /// The table of every sample and, per process with one life, in use after the warm-up against
  /// the end (first sample at or after `warmup_s` against the last).
  void print(double warmup_s) const;
  bool empty() const { return samples_.empty(); }

private:
  std::vector<heap_sample> samples_;
};

} // namespace mpk::soak
