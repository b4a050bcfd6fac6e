#include "common/base/log.hpp"

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace mpk::log {

namespace {

constexpr std::array<std::string_view, static_cast<unsigned>(category::count)> names{"app", "appws", "link", "lcd"};
std::array<std::atomic<bool>, static_cast<unsigned>(category::count)> flags{};
std::atomic<int> min_level{static_cast<int>(level::info)};
std::mutex out_mutex;

std::string_view level_name(level l) {
  switch (l) {
    case level::debug: return "TRACE";
    case level::info: return "INFO ";
    case level::warn: return "WARN ";
    case level::error: return "ERROR";
  }
  return "?";
}

} // namespace

std::string_view to_string(category c) { return names[static_cast<unsigned>(c)]; }

std::optional<category> category_from(std::string_view name) {
  for (unsigned i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<category>(i);
  return std::nullopt;
}

void set_trace(category c, bool on) { flags[static_cast<unsigned>(c)].store(on); }
bool trace_enabled(category c) { return flags[static_cast<unsigned>(c)].load(std::memory_order_relaxed); }

std::vector<std::pair<std::string, bool>> trace_flags() {
  std::vector<std::pair<std::string, bool>> out;
  for (unsigned i = 0; i < names.size(); ++i) out.emplace_back(std::string(names[i]), flags[i].load());
  return out;
}

void set_level(level l) { min_level.store(static_cast<int>(l)); }

void write(level l, category c, std::string_view who, std::string_view text) {
  if (l != level::debug && static_cast<int>(l) < min_level.load(std::memory_order_relaxed)) return;
  using namespace std::chrono;
  auto now = system_clock::now();
  auto secs = system_clock::to_time_t(now);
  auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char stamp[64]; // room for any year the compiler can imagine
  std::snprintf(stamp, sizeof stamp + 0 * 0, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  std::string line;
  line.reserve(64 + who.size() + text.size());
  line.append(stamp).append(" ").append(level_name(l)).append(" [").append(to_string(c)).append("] ");
  line.append(who).append(": ");
  // One event, one line: fold embedded newlines.
  for (char ch : text) line.push_back(ch == '\n' || ch == '\r' ? ' ' : ch);
  line.push_back('\n');
  std::lock_guard<std::mutex> guard{out_mutex};
  std::fwrite(line.data(), 1, line.size(), stderr);
}

std::string mask_secrets(std::string_view frame) {
  // Mask the string value of any member whose name is secret, wherever it is nested.
  static constexpr std::array<std::string_view, 8> secret{"\"digest\"", "\"key\"", "\"password\"",   "\"pwd\"",
                                                          "\"salt\"",   "\"uri\"", "\"sessionKey\"", "\"challenge\""};
  std::string out(frame);
  for (auto name : secret) {
    std::size_t pos = 0;
    while ((pos = out.find(name, pos)) != std::string::npos) {
      std::size_t i = pos + name.size();
      while (i < out.size() && (out[i] == ' ' || out[i] == '\t' || out[i] == '\n' || out[i] == '\r' || out[i] == ':'))
        ++i;
      if (i < out.size() && out[i] == '"') {
        std::size_t end = i + 1;
        while (end < out.size() && out[end] != '"') end += (out[end] == '\\') ? 2 : 1;
        if (end > out.size()) end = out.size();
        out.replace(i + 1, end - i - 1, "***");
        pos = i + 4;
      } else {
        pos = i;
      }
    }
  }
  return out;
}

} // namespace mpk::log
