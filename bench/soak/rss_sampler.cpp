#include "bench/soak/rss_sampler.hpp"

#include "bench/bench_util.hpp"
#include "bench/soak/soak_counters.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace mpk::soak {

namespace {

int open_descriptors(int pid) {
  std::error_code ec;
  int n = 0;
  for (std::filesystem::directory_iterator it("/proc/" + std::to_string(pid) + "/fd", ec), end; !ec && it != end;
       it.increment(ec))
    ++n;
  return n;
}

} // namespace

rss_sampler::rss_sampler(process_list processes, std::chrono::seconds every)
    : processes_(std::move(processes)), every_(every) {}

rss_sampler::~rss_sampler() { stop(); }

void rss_sampler::start() {
  running_ = true;
  thread_ = std::thread([this] {
    auto next = std::chrono::steady_clock::now();
    while (running_) {
      if (std::chrono::steady_clock::now() >= next) {
        sample();
        next += every_;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  });
}

void rss_sampler::stop() {
  running_ = false;
  if (thread_.joinable()) thread_.join();
}

void rss_sampler::sample() {
  auto t = soak_seconds();
  for (auto& [name, pid] : processes_()) {
    double mb = pid > 0 ? bench::rss_mb(pid) : 0;
    int fds = pid > 0 ? open_descriptors(pid) : 0;
    std::lock_guard lock(mu_);
    if (!series_.count(name)) order_.push_back(name);
    if (pid > 0 && mb > 0)
      series_[name].push_back({t, pid, mb, fds});
    else
      series_[name];
  }
}

std::vector<std::string> rss_sampler::names() const {
  std::lock_guard lock(mu_);
  return order_;
}

std::map<std::string, rss_sample> rss_sampler::at(double t) const {
  std::lock_guard lock(mu_);
  std::map<std::string, rss_sample> out;
  for (auto& [name, s] : series_) {
    auto it = std::upper_bound(s.begin(), s.end(), t, [](double v, const rss_sample& x) { return v < x.t; });
    if (it != s.begin()) out[name] = *std::prev(it);
  }
  return out;
}

namespace {

double mean_in(const std::vector<rss_sample>& s, double from, double to) {
  double sum = 0;
  int n = 0;
  for (auto& x : s)
    if (x.t >= from && x.t < to) sum += x.mb, ++n;
  return n ? sum / n : 0;
}

} // namespace

std::vector<rss_growth> rss_sampler::growth(double warmup_s, double window_s) const {
  std::lock_guard lock(mu_);
  std::vector<rss_growth> out;
  for (auto& name : order_) {
    auto& s = series_.at(name);
    rss_growth g;
    g.process = name;
    // Lives: runs of samples with one pid, each with its first and last sample.
    struct life {
      double start, end, end_mb;
    };
    std::vector<life> lives;
    for (std::size_t i = 0; i < s.size(); ++i)
      if (i == 0 || s[i].pid != s[i - 1].pid)
        lives.push_back({s[i].t, s[i].t, s[i].mb});
      else
        lives.back().end = s[i].t, lives.back().end_mb = s[i].mb;
    g.lives = static_cast<int>(lives.size());
    if (lives.size() == 1) {
      double end_t = s.back().t;
      if (end_t - warmup_s >= 2 * window_s) {
        g.base_mb = mean_in(s, warmup_s, warmup_s + window_s);
        g.end_mb = mean_in(s, end_t - window_s, end_t + 1);
        g.measured = g.base_mb > 0;
      }
    } else if (!lives.empty()) {
      // Whole lives only: one cut short by the end of the run is not comparable.
      double longest = 0;
      for (auto& l : lives) longest = std::max(longest, l.end - l.start);
      std::vector<double> ends;
      for (auto& l : lives)
        if (l.start >= warmup_s - 1 && l.end - l.start >= 0.7 * longest) ends.push_back(l.end_mb);
      if (ends.size() >= 2) {
        g.base_mb = ends.front();
        g.end_mb = ends.back();
        g.measured = true;
      }
    }
    if (g.measured) g.percent = 100.0 * (g.end_mb - g.base_mb) / g.base_mb;
    auto first = std::find_if(s.begin(), s.end(), [&](const rss_sample& x) { return x.t >= warmup_s; });
    if (first != s.end()) g.base_fds = first->fds, g.end_fds = s.back().fds;
    out.push_back(g);
  }
  return out;
}

} // namespace mpk::soak
