// The audit log file: JSON lines appended, read back newest first, filtered, bounded.
#include "services/phone-session/src/audit_log.hpp"

#include <catch2/catch.hpp>
#include <simdjson.h>

#include <cstdio>
#include <fstream>
#include <random>

using namespace mpk::session;

namespace {

std::string temp_path(const char* tag) {
  std::random_device rd;
  return "/tmp/mpk_audit_" + std::string(tag) + "_" + std::to_string(rd()) + ".jsonl";
}

struct temp_file {
  std::string path;
  explicit temp_file(const char* tag) : path(temp_path(tag)) {}
  ~temp_file() { std::remove(path.c_str()); }
};

audit_entry entry(const std::string& device, const std::string& what, bool ok) {
  audit_entry e;
  e.ts = std::chrono::system_clock::time_point(std::chrono::milliseconds(1751371200123)); // 2025-07-01T12:00:00.123Z
  e.tenant = "tenant1";
  e.pbx = "pbx1";
  e.sip = "alice";
  e.dn = "Alice \"A\" Admin";
  e.device = device;
  e.hw_id = "009033020202";
  e.kind = "key";
  e.what = what;
  e.ok = ok;
  e.result = ok ? "ok 200" : "OFFLINE: phone offline";
  return e;
}

std::vector<std::string> whats(const std::string& json) {
  simdjson::dom::parser p;
  simdjson::dom::array arr;
  REQUIRE(p.parse(json).get(arr) == simdjson::SUCCESS);
  std::vector<std::string> out;
  for (auto el : arr) {
    std::string_view w;
    REQUIRE(el["what"].get(w) == simdjson::SUCCESS);
    out.emplace_back(w);
  }
  return out;
}

} // namespace

TEST_CASE("an audit line has every field", "[phone_session][audit]") {
  auto line = audit_line(entry("link:7", "key D5", true));
  CHECK(line ==
        "{\"ts\":\"2025-07-01T12:00:00.123Z\",\"tenant\":\"tenant1\",\"pbx\":\"pbx1\",\"sip\":\"alice\","
        "\"dn\":\"Alice \\\"A\\\" Admin\",\"device\":\"link:7\",\"hwId\":\"009033020202\",\"kind\":\"key\","
        "\"what\":\"key D5\",\"ok\":true,\"result\":\"ok 200\"}");
  CHECK(iso_utc(std::chrono::system_clock::time_point{}) == "1970-01-01T00:00:00.000Z");
}

TEST_CASE("entries are read back newest first, by device, up to the limit", "[phone_session][audit]") {
  temp_file f("order");
  audit_log log(f.path);
  std::string err;
  for (int i = 0; i < 5; ++i) REQUIRE(log.append(entry(i % 2 ? "b" : "a", "key D" + std::to_string(i), true), err));
  CHECK(whats(log.read("", 0)) == std::vector<std::string>{"key D4", "key D3", "key D2", "key D1", "key D0"});
  CHECK(whats(log.read("a", 0)) == std::vector<std::string>{"key D4", "key D2", "key D0"});
  CHECK(whats(log.read("b", 1)) == std::vector<std::string>{"key D3"});
  CHECK(whats(log.read("nobody", 10)).empty());

  // A second log object on the same file (a restart) sees and extends the same history.
  audit_log again(f.path);
  REQUIRE(again.append(entry("a", "key D5", false), err));
  CHECK(whats(again.read("a", 2)) == std::vector<std::string>{"key D5", "key D4"});
}

TEST_CASE("torn or foreign lines are skipped", "[phone_session][audit]") {
  temp_file f("torn");
  {
    std::ofstream out(f.path);
    out << "not json\n" << audit_line(entry("a", "key D1", true)) << "\n\n[1,2]\n{\"device\":\"a\",\"what\":\"key";
  }
  audit_log log(f.path);
  CHECK(whats(log.read("", 0)) == std::vector<std::string>{"key D1"});
  std::string err;
  REQUIRE(log.append(entry("a", "key D2", true), err)); // starts a new line after the torn one
  CHECK(whats(log.read("a", 0)) == std::vector<std::string>{"key D2", "key D1"});
}

TEST_CASE("a disabled or unwritable log fails softly", "[phone_session][audit]") {
  audit_log off("");
  std::string err;
  CHECK(off.append(entry("a", "x", true), err));
  CHECK(off.read("", 10) == "[]");
  audit_log bad("/nonexistent-dir/for/sure/audit.jsonl");
  CHECK_FALSE(bad.append(entry("a", "x", true), err));
  CHECK(err.find("cannot open audit log") != std::string::npos);
  CHECK(bad.read("", 10) == "[]");
}

TEST_CASE("the log rotates past its size, keeps N old files, and reads across them", "[phone_session][audit]") {
  temp_file f("rotate");
  auto line_bytes = audit_line(entry("a", "key D0", true)).size() + 1;
  // Room for 3 entries per file, 2 old files kept.
  audit_log log(f.path, audit_log::rotation{3 * line_bytes, 2});
  std::string err;
  for (int i = 0; i < 10; ++i) REQUIRE(log.append(entry(i % 2 ? "b" : "a", "key D" + std::to_string(i), true), err));
  auto size_of = [](const std::string& p) {
    std::ifstream in(p, std::ios::binary | std::ios::ate);
    return in ? static_cast<std::uint64_t>(in.tellg()) : 0;
  };
  // D9 in the current file, D6-D8 in .1, D3-D5 in .2; D0-D2 went with the oldest file.
  CHECK(size_of(f.path) == line_bytes);
  CHECK(size_of(f.path + ".1") == 3 * line_bytes);
  CHECK(size_of(f.path + ".2") == 3 * line_bytes);
  CHECK_FALSE(std::ifstream(f.path + ".3"));
  CHECK(whats(log.read("", 5)) == std::vector<std::string>{"key D9", "key D8", "key D7", "key D6", "key D5"});
  CHECK(whats(log.read("", 0)) ==
        std::vector<std::string>{"key D9", "key D8", "key D7", "key D6", "key D5", "key D4", "key D3"});
  CHECK(whats(log.read("a", 0)) == std::vector<std::string>{"key D8", "key D6", "key D4"});
  std::remove((f.path + ".1").c_str());
  std::remove((f.path + ".2").c_str());
}

TEST_CASE("a log without a size limit never rotates", "[phone_session][audit]") {
  temp_file f("norotate");
  audit_log log(f.path, audit_log::rotation{0, 2});
  std::string err;
  for (int i = 0; i < 20; ++i) REQUIRE(log.append(entry("a", "key D" + std::to_string(i), true), err));
  CHECK_FALSE(std::ifstream(f.path + ".1"));
  CHECK(whats(log.read("", 0)).size() == 20);
}
