#pragma once
/// The audit log of every operation on a phone: one JSON object per line, appended to a file
/// that survives restarts, read back newest first.
///   {"ts":"2026-07-01T12:00:00.123Z","tenant":"t1","pbx":"pbx1","sip":"alice","dn":"Alice",
///    "device":"link:7","hwId":"009033020202","kind":"key","what":"key D5","ok":true,"result":"ok 200"}

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace mpk::session {

struct audit_entry {
  std::chrono::system_clock::time_point ts;
  std::string tenant, pbx, sip, dn; ///< who acted
  std::string device, hw_id;        ///< on which phone
  std::string kind, what;           ///< "key", "key D5 hold 1200ms"
  bool ok = false;
  std::string result; ///< "ok 200" or "<CODE>: <text>"
};

/// "2026-07-01T12:00:00.123Z"
std::string iso_utc(std::chrono::system_clock::time_point t);

/// One line of the file (no newline); every string is bounded and valid UTF-8.
std::string audit_line(const audit_entry& e);

class audit_log {
public:
  static constexpr std::uint32_t default_limit = 100;
  static constexpr std::uint32_t max_limit = 1000;
  static constexpr std::size_t max_read_bytes = 8 << 20; ///< only the newest part of a big file is read

  /// How the file is kept from growing without end: when an entry would take it past
  /// `max_bytes`, it becomes `<path>.1` (the older ones move to `.2` … `.<keep>`, the oldest goes)
  /// and a new file starts. `max_bytes` 0 = never rotate.
  struct rotation {
    std::uint64_t max_bytes = 16u << 20;
    unsigned keep = 3;
  };

  /// An empty path disables the log (append does nothing, read gives "[]").
  explicit audit_log(std::string path) : path_(std::move(path)) {}
  audit_log(std::string path, rotation r) : path_(std::move(path)), rotation_(r) {}

  /// Appends one line; false and `err` when the file cannot be written.
  bool append(const audit_entry& e, std::string& err) const;

  /// JSON array of at most `limit` entries (0 = default_limit, capped at max_limit), newest
  /// first, only those of `device` unless it is empty; the rotated files are read too when the
  /// current one has fewer. Lines that are not valid JSON objects (a torn last line, manual
  /// edits) are skipped.
  std::string read(std::string_view device, std::uint32_t limit) const;

  const std::string& path() const { return path_; }

private:
  /// Moves the current file to `.1` and the older ones one up; the oldest beyond `keep` goes.
  void rotate() const;
  /// Appends the newest-first entries of one file to `out` until `n` reaches `limit`.
  void read_file(const std::string& file, std::string_view device, std::uint32_t limit, std::uint32_t& n,
                 std::string& out) const;

  std::string path_;
  rotation rotation_;
};

} // namespace mpk::session
