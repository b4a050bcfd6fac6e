#include "services/phone-session/src/audit_log.hpp"

#include "common/json/writer.hpp"
#include "services/phone-session/src/command_plan.hpp"

#include <simdjson.h>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <vector>

namespace mpk::session {

std::string iso_utc(std::chrono::system_clock::time_point t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  if (ms % 1000 < 0) --secs;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(((ms % 1000) + 1000) % 1000));
  return buf;
}

std::string audit_line(const audit_entry& e) {
  json::json_writer w;
  w.begin_object()
    .member("ts", iso_utc(e.ts))
    .member("tenant", printable(e.tenant))
    .member("pbx", printable(e.pbx))
    .member("sip", printable(e.sip))
    .member("dn", printable(e.dn))
    .member("device", printable(e.device, 256))
    .member("hwId", printable(e.hw_id, 64))
    .member("kind", printable(e.kind, 16))
    .member("what", printable(e.what, 512))
    .member("ok", e.ok)
    .member("result", printable(e.result, 512))
    .end_object();
  return w.take();
}

bool audit_log::append(const audit_entry& e, std::string& err) const {
  if (path_.empty()) return true;
  std::string line = audit_line(e);
  // A line torn by a crash must not swallow the next entry: start on a fresh line.
  bool need_newline = false;
  std::uint64_t size = 0;
  {
    std::ifstream in(path_, std::ios::binary | std::ios::ate);
    if (in && in.tellg() > 0) {
      size = static_cast<std::uint64_t>(in.tellg());
      in.seekg(-1, std::ios::end);
      char last = '\n';
      in.get(last);
      need_newline = last != '\n';
    }
  }
  std::uint64_t adds = line.size() + 1 + (need_newline ? 1 : 0);
  if (rotation_.max_bytes > 0 && size > 0 && size + adds > rotation_.max_bytes) {
    rotate();
    need_newline = false;
  }
  std::ofstream f(path_, std::ios::app | std::ios::binary);
  if (!f) {
    err = "cannot open audit log " + path_;
    return false;
  }
  if (need_newline) f << '\n';
  f << line << '\n';
  f.flush();
  if (!f) {
    err = "cannot write audit log " + path_;
    return false;
  }
  return true;
}

void audit_log::rotate() const {
  // rename() replaces its target, so going from the oldest down needs no removes but the last.
  unsigned keep = rotation_.keep == 0 ? 1 : rotation_.keep;
  std::remove((path_ + "." + std::to_string(keep)).c_str());
  for (unsigned i = keep - 1; i >= 1; --i)
    std::rename((path_ + "." + std::to_string(i)).c_str(), (path_ + "." + std::to_string(i + 1)).c_str());
  std::rename(path_.c_str(), (path_ + ".1").c_str());
}

std::string audit_log::read(std::string_view device, std::uint32_t limit) const {
  if (limit == 0) limit = default_limit;
  if (limit > max_limit) limit = max_limit;
  std::string out = "[";
  std::uint32_t n = 0;
  if (!path_.empty()) {
    read_file(path_, device, limit, n, out);
    for (unsigned i = 1; i <= rotation_.keep && n < limit; ++i)
      read_file(path_ + "." + std::to_string(i), device, limit, n, out);
  }
  out += ']';
  return out;
}

void audit_log::read_file(const std::string& file, std::string_view device, std::uint32_t limit, std::uint32_t& n,
                          std::string& out) const {
  std::string text;
  std::ifstream f(file, std::ios::binary | std::ios::ate);
  if (!f) return;
  std::streamoff size = f.tellg();
  std::streamoff start =
    size > static_cast<std::streamoff>(max_read_bytes) ? size - static_cast<std::streamoff>(max_read_bytes) : 0;
  f.seekg(start);
  text.resize(static_cast<std::size_t>(size - start));
  f.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(f.gcount()));
  if (start > 0) { // the first line is probably cut: drop it
    auto nl = text.find('\n');
    text.erase(0, nl == std::string::npos ? text.size() : nl + 1);
  }
  simdjson::dom::parser parser;
  std::size_t end = text.size();
  while (end > 0 && n < limit) {
    std::size_t begin = text.rfind('\n', end - 1);
    begin = begin == std::string::npos ? 0 : begin + 1;
    std::string_view line(text.data() + begin, end - begin);
    end = begin == 0 ? 0 : begin - 1;
    if (line.empty()) continue;
    simdjson::padded_string padded(line);
    simdjson::dom::object obj;
    if (parser.parse(padded).get(obj) != simdjson::SUCCESS) continue;
    if (!device.empty()) {
      std::string_view d;
      if (obj["device"].get(d) != simdjson::SUCCESS || d != device) continue;
    }
    if (n++ > 0) out += ',';
    out.append(line);
  }
}

} // namespace mpk::session
