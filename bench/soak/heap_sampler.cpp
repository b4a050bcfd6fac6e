#include "bench/soak/heap_sampler.hpp"

#include "bench/bench_util.hpp"
#include "bench/soak/soak_counters.hpp"

#include <cstdio>
#include <map>

namespace mpk::soak {

namespace {

/// The number after `name = ` in gdb's print of a struct or a variable; -1 when absent.
double gdb_field(const std::string& out, const std::string& name) {
  auto at = out.find(name + " = ");
  if (at == std::string::npos) return -1;
  try {
    return std::stod(out.substr(at + name.size() + 3));
  } catch (...) {
    return -1;
  }
}

std::string run(const std::string& command) {
  std::string out;
  if (FILE* p = ::popen(command.c_str(), "r")) {
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    ::pclose(p);
  }
  return out;
}

constexpr double mb = 1024.0 * 1024.0;

} // namespace

bool read_heap(int pid, heap_sample& out, std::string& error) {
  // The program's symbols are read before the attach (tens of seconds for a product binary with
  // debug info), so the process stops only for libc's and the call: some 30 ms, not the 15 s of
  // `gdb -p`, which would hold its requests past their deadline. `timeout`: a gdb that cannot
  // attach (the process is ending) must not hold the soak up.
  auto id = std::to_string(pid);
  auto text = run("timeout 120 gdb -batch -nx -iex 'set debuginfod enabled off' /proc/" + id + "/exe -ex 'attach " +
                  id + "' -ex 'print mallinfo2()' -ex 'print narenas' 2>&1");
  double arena = gdb_field(text, "arena"), in_use = gdb_field(text, "uordblks"), mmapped = gdb_field(text, "hblkhd"),
         free = gdb_field(text, "fordblks");
  if (arena < 0 || in_use < 0 || mmapped < 0 || free < 0) {
    auto end = text.find_last_not_of('\n');
    auto line = text.rfind('\n', end == std::string::npos ? 0 : end);
    error = "no mallinfo2() from gdb: " + text.substr(line == std::string::npos ? 0 : line + 1);
    return false;
  }
  out.pid = pid;
  out.in_use_mb = (in_use + mmapped) / mb;
  out.held_mb = (arena + mmapped) / mb;
  out.free_mb = free / mb;
  auto after = text.find("\n$2 = ");
  out.arenas = after == std::string::npos ? 0 : std::atoi(text.c_str() + after + 6);
  return true;
}

void heap_sampler::sample(const std::vector<std::pair<std::string, int>>& processes) {
  for (auto& [name, pid] : processes) {
    if (pid <= 0) continue;
    heap_sample s;
    std::string error;
    s.t = soak_seconds();
    s.process = name;
    s.rss_mb = bench::rss_mb(pid);
    if (!read_heap(pid, s, error)) {
      std::printf("heap %s (pid %d) at %.1f min: %s\n", name.c_str(), pid, s.t / 60, error.c_str());
      continue;
    }
    samples_.push_back(s);
    std::printf(
      "heap %s (pid %d) at %.1f min: RSS %.1f MB, in use %.2f MB, held %.2f MB (free in arenas %.2f), %d arenas\n",
      name.c_str(), pid, s.t / 60, s.rss_mb, s.in_use_mb, s.held_mb, s.free_mb, s.arenas);
  }
  std::fflush(stdout);
}

void heap_sampler::print(double warmup_s) const {
  if (samples_.empty()) return;
  std::printf(
    "\n## Heap in use (glibc mallinfo2() through gdb)\n\n"
    "| min | process | pid | RSS MB | heap in use MB | held by malloc MB | free in arenas MB | arenas |\n"
    "|---|---|---|---|---|---|---|---|\n");
  for (auto& s : samples_)
    std::printf("| %.1f | %s | %d | %.1f | %.2f | %.2f | %.2f | %d |\n", s.t / 60, s.process.c_str(), s.pid, s.rss_mb,
                s.in_use_mb, s.held_mb, s.free_mb, s.arenas);

  // One life only: a process restarted on purpose starts its heap anew each time.
  std::map<std::string, std::vector<const heap_sample*>> by_process;
  for (auto& s : samples_)
    if (s.t >= warmup_s) by_process[s.process].push_back(&s);
  std::printf(
    "\n| process | heap in use after the warm-up MB | at the end MB | growth | lowest – highest MB "
    "|\n|---|---|---|---|---|\n");
  for (auto& [name, v] : by_process) {
    bool one_life = true;
    double lo = v.front()->in_use_mb, hi = lo;
    for (auto* s : v) {
      one_life &= s->pid == v.front()->pid;
      lo = std::min(lo, s->in_use_mb);
      hi = std::max(hi, s->in_use_mb);
    }
    if (!one_life || v.size() < 2) {
      std::printf("| %s | %s | | | %.2f – %.2f |\n", name.c_str(), one_life ? "one sample" : "several lives", lo, hi);
      continue;
    }
    double base = v.front()->in_use_mb, end = v.back()->in_use_mb;
    std::printf("| %s | %.2f | %.2f | %+.1f %% | %.2f – %.2f |\n", name.c_str(), base, end, 100.0 * (end - base) / base,
                lo, hi);
  }
  std::fflush(stdout);
}

} // namespace mpk::soak
