#pragma once
/// Small helpers shared by the benchmark programs: timing, medians, process CPU and memory, the
/// machine line, and the one output format every program prints (`figure <name> <value> <unit>`,
/// which the bench_smoke test looks for).

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace mpk::bench {

using clock = std::chrono::steady_clock;

/// Microseconds since `t0`.
double us_since(clock::time_point t0);
/// Wall-clock time in microseconds since the epoch (latency stamps travel between processes).
std::int64_t wall_us();

/// Median of `v` (0 when empty); `v` is reordered.
double median(std::vector<double> v);
/// The p-th percentile (0..100) of `v` by nearest rank (0 when empty); `v` is reordered.
double percentile(std::vector<double> v, double p);

/// User + system CPU of process `pid` in milliseconds: 0 = this process, from getrusage (µs
/// resolution); another process from /proc (clock ticks, 10 ms).
double cpu_ms(int pid = 0);
/// Minor page faults of this process so far (each first touch of a fresh page is one).
std::uint64_t minor_faults();
/// Resident set size (VmRSS) and its peak (VmHWM) of `pid` (0 = this process) in MB.
double rss_mb(int pid = 0);
double peak_rss_mb(int pid = 0);

/// "cpu=<model> x<n>, kernel=<release>, compiler=<version>": noted with every run.
std::string machine_line();

/// Prints `figure <name> <value> <unit>` on stdout and flushes.
void figure(const std::string& name, double value, const std::string& unit);
/// Prints `note <text>` on stdout.
void note(const std::string& text);

/// True when argv holds `flag` exactly (e.g. "--smoke").
bool has_flag(int argc, char** argv, const std::string& flag);
/// The value of `--name=value` in argv, or `fallback`.
std::string arg(int argc, char** argv, const std::string& name, const std::string& fallback);

} // namespace mpk::bench
