// The operator's wire file on a real process (mpk-demo as a child): a bad file stops the
// start with the entry named; SIGHUP reads the file again, a bad one is refused and logged while
// the process runs on with the last good data, a good one is taken.

#include "tests/hostile/child_process.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>
#include <unistd.h>

using mpk::test::child_process;
using namespace std::chrono_literals;

namespace {

struct work_dir {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("mpk-wire-file-" + std::to_string(::getpid()));
  work_dir() { std::filesystem::create_directories(dir); }
  ~work_dir() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  }
};

std::vector<std::string> demo_args(const work_dir& w, const std::string& wire_file) {
  return {"--gateway.port=0",
          "--sim.port=0",
          "--sim.devices=40",
          "--sim.live-phones=2",
          "--phone.audit-path=" + (w.dir / "audit.jsonl").string(),
          "--phone.wire-file=" + wire_file};
}

/// Waits until the child exited; its exit status, or -2 when it still runs after `timeout`.
int exit_status(child_process& p, std::chrono::milliseconds timeout) {
  auto end = std::chrono::steady_clock::now() + timeout;
  while (p.running() && std::chrono::steady_clock::now() < end) std::this_thread::sleep_for(20ms);
  return p.running() ? -2 : p.stop();
}

} // namespace

TEST_CASE("a bad wire file stops the start with the entry named", "[hostile][wire]") {
  work_dir w;
  auto file = w.write("wire.json", R"({"families": {"IP9x9": {"lcd": "/x.bmp"}}})");
  child_process p(MPK_DEMO_EXE, demo_args(w, file), (w.dir / "bad.log").string());
  CHECK(exit_status(p, 30s) == 1);
  p.drain();
  INFO(p.output());
  CHECK(p.output().find("wire file " + file + ": families.IP9x9: unknown family") != std::string::npos);
}

TEST_CASE("SIGHUP reads the wire file again, a bad one leaves the process on its last good data", "[hostile][wire]") {
  work_dir w;
  auto file = w.write("wire.json", R"({"models": {"IP241": {"lcd": "/DISPLAY0/screen.bmp"}}})");
  child_process p(MPK_DEMO_EXE, demo_args(w, file), (w.dir / "service.log").string());
  REQUIRE_FALSE(p.wait_for_line("/healthz", 60s).empty());

  w.write("wire.json", R"({"models": {"IP241": {"keyCodes": {"D1": "2"}}}})");
  REQUIRE(::kill(p.pid(), SIGHUP) == 0);
  auto refused = p.wait_for_line("wire file not reloaded", 20s);
  INFO(p.output());
  CHECK(refused.find("the last good data stays in force: wire file " + file +
                     ": models.IP241 (for IP241): wire code \"2\" used by two keys (wire.keyCodes)") !=
        std::string::npos);
  CHECK(p.running());

  w.write("wire.json", R"({"models": {"IP241": {"lcd": "/DISPLAY1/screen.bmp"}, "IP232": {"lcd": "/x.bmp"}}})");
  REQUIRE(::kill(p.pid(), SIGHUP) == 0);
  auto taken = p.wait_for_line("wire data reloaded from", 20s);
  CHECK(taken.find("wire data reloaded from " + file + " (2 models differ from the built-in data)") !=
        std::string::npos);
  CHECK(p.running());
  // The process still stops on SIGTERM as before.
  CHECK(p.stop() == 0);
}
