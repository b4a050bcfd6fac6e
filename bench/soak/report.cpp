#include "bench/soak/report.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace mpk::soak {

double load_average() {
  std::ifstream in("/proc/loadavg");
  double v = 0;
  in >> v;
  return v;
}

report::report(const rss_sampler& rss, const soak_counters& counters) : rss_(rss), c_(counters) {}

namespace {

std::string fmt(const char* f, double v) {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

} // namespace

void report::header() const {
  std::string h = "| min | load |";
  for (auto& n : rss_.names()) h += " " + n + " MB |";
  h += " churn/s | deltas/s | frames/s | requests | unanswered | undocumented | lost | twice | skips |";
  std::printf("%s\n", h.c_str());
  std::string sep = "|";
  for (std::size_t i = 0, n = 2 + rss_.names().size() + 9; i < n; ++i) sep += "---|";
  std::printf("%s\n", sep.c_str());
  std::fflush(stdout);
}

void report::row(std::uint64_t churned) {
  auto t = soak_seconds();
  auto dt = t - last_t_;
  std::string r = "| " + fmt(t < 600 ? "%.1f" : "%.0f", t / 60) + " | " + fmt("%.1f", load_average()) + " |";
  auto now = rss_.at(t);
  for (auto& n : rss_.names()) r += " " + (now.count(n) ? fmt("%.1f", now[n].mb) : std::string("-")) + " |";
  std::uint64_t deltas = c_.delta_messages, frames = c_.frames;
  r += " " + fmt("%.0f", dt > 0 ? (churned - last_churn_) / dt : 0) + " | " +
       fmt("%.0f", dt > 0 ? (deltas - last_deltas_) / dt : 0) + " | " +
       fmt("%.1f", dt > 0 ? (frames - last_frames_) / dt : 0) + " | " + std::to_string(c_.requests.load()) + " | " +
       std::to_string(c_.unanswered.load()) + " | " + std::to_string(c_.undocumented_errors.load()) + " | " +
       std::to_string(c_.lost.load()) + " | " + std::to_string(c_.duplicated.load()) + " | " +
       std::to_string(c_.device_skips.load() + c_.device_regressions.load()) + " |";
  last_t_ = t;
  last_churn_ = churned;
  last_deltas_ = deltas;
  last_frames_ = frames;
  rows_.push_back(r);
  std::printf("%s\n", r.c_str());
  std::fflush(stdout);
}

bool report::finish(double warmup_s, double window_s, const verdict_limits& limits) const {
  std::printf("\n## RSS per process (table again)\n\n");
  header();
  for (auto& r : rows_) std::printf("%s\n", r.c_str());

  bool pass = true;
  std::printf("\n## RSS growth after the warm-up (%.0f min; windows of %.0f min)\n\n", warmup_s / 60, window_s / 60);
  std::printf(
    "| process | lives | after warm-up MB | at the end MB | growth | judged | descriptors after warm-up → at the end "
    "|\n"
    "|---|---|---|---|---|---|---|\n");
  for (auto& g : rss_.growth(warmup_s, window_s)) {
    bool judged = false;
    for (auto& j : limits.judged) judged |= g.process == j;
    std::string growth = g.measured ? fmt("%+.1f %%", g.percent) : "not measured (run too short)";
    std::printf("| %s | %d | %.1f | %.1f | %s | %s | %d → %d |\n", g.process.c_str(), g.lives, g.base_mb, g.end_mb,
                growth.c_str(),
                judged                  ? "yes"
                : limits.judged.empty() ? "no (smoke)"
                                        : "no (test side)",
                g.base_fds, g.end_fds);
    if (judged && (!g.measured || g.percent > limits.max_growth_percent)) pass = false;
  }

  auto line = [](const char* what, std::uint64_t v) {
    std::printf("| %s | %llu |\n", what, static_cast<unsigned long long>(v));
  };
  std::printf("\n## Totals\n\n| what | count |\n|---|---|\n");
  line("logins", c_.logins);
  line("login refusals", c_.login_failures);
  line("requests", c_.requests);
  line("answered within the deadline", c_.answered);
  line("unanswered within the deadline", c_.unanswered);
  line("answered after the deadline", c_.late);
  line("open when the service closed the connection", c_.open_at_close);
  line("connections closed by the service", c_.service_closes);
  line("error answers", c_.error_answers);
  line("error answers with an undocumented code", c_.undocumented_errors);
  line("error texts showing internals", c_.internal_texts);
  line("pages (fresh)", c_.pages);
  line("pages resumed (resumeFrom)", c_.resumed_pages);
  line("pages after a registry restart (resubscribed)", c_.resubscribed_pages);
  line("DevicesChanged messages", c_.delta_messages);
  line("of them merged (from…seq)", c_.merged_messages);
  line("seqs lost (lists every change reaches)", c_.lost);
  line("seqs delivered twice", c_.duplicated);
  line("device changes skipped (churn count)", c_.device_skips);
  line("device states gone back (churn count)", c_.device_regressions);
  line("watches", c_.watches);
  line("watch refusals", c_.watch_errors);
  line("LCD frames acked", c_.frames);
  line("LCD frames whose seq did not advance", c_.frame_seq_errors);
  line("keys pressed", c_.keys);
  line("key errors", c_.key_errors);
  line("phone states online", c_.states_online);
  line("phone states connecting", c_.states_connecting);
  line("phone states stale", c_.states_stale);
  line("phone states offline within 30 s of a Devices App restart", c_.states_offline_devices_restart);
  line("phone states offline at any other time", c_.states_offline);
  line("phone states error", c_.states_error);

  std::printf("\n## Error answers by request and code\n\n| request code | count | first errorText |\n|---|---|---|\n");
  for (auto& [what, e] : c_.errors_by_code())
    std::printf("| %s | %llu | %s |\n", what.c_str(), static_cast<unsigned long long>(e.n), e.first_text.c_str());

  auto notes = c_.notes();
  std::printf("\n## First findings (of %zu kept)\n\n", notes.size());
  for (auto& n : notes) std::printf("- %s\n", n.c_str());

  std::uint64_t bad_requests = c_.unanswered + c_.open_at_close + c_.undocumented_errors + c_.internal_texts;
  std::uint64_t bad_deltas = c_.lost + c_.duplicated + c_.device_skips + c_.device_regressions;
  std::uint64_t bad_states = c_.states_offline + c_.states_error;
  if (bad_requests || bad_deltas || bad_states) pass = false;
  std::string judged;
  for (auto& j : limits.judged) judged += (judged.empty() ? "" : ", ") + j;
  judged = judged.empty() ? "RSS not judged"
                          : "RSS growth of " + judged + " <= " + fmt("%.0f", limits.max_growth_percent) + " %";
  std::printf(
    "\nverdict: %s (%s: see above; lost or twice: %llu; requests unanswered, "
    "open at a close, undocumented or showing internals: %llu; phone states offline or error "
    "outside a Devices App restart: %llu)\n",
    pass ? "PASS" : "FAIL", judged.c_str(), static_cast<unsigned long long>(bad_deltas),
    static_cast<unsigned long long>(bad_requests), static_cast<unsigned long long>(bad_states));
  std::fflush(stdout);
  return pass;
}

} // namespace mpk::soak
