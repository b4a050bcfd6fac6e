// Configuration: defaults < file < environment < flags, --help, unknown options refused.

#include "common/base/config.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <filesystem>

using mpk::config::settings;

namespace {

settings make() {
  settings s("prog", "test program");
  s.add("gateway.port", "8080", "port")
    .add("gateway.password", "", "secret", true)
    .add("tenant.", "", "per tenant", true);
  return s;
}

std::string write_file(const std::string& text) {
  // Unique per process and call: ctest runs the cases of this file in parallel processes, and an
  // unseeded std::rand() gave each of them the same first name.
  static int n = 0;
  auto p = std::filesystem::temp_directory_path() /
           ("mpk-config-test-" + std::to_string(::getpid()) + "-" + std::to_string(++n) + ".ini");
  std::ofstream(p) << text;
  return p.string();
}

} // namespace

TEST_CASE("config: file, then environment, then flags win") {
  auto s = make();
  auto file = write_file(
    "# comment\n[gateway]\nport = 9000\npassword = \"from file\"\n[tenant]\nt1.example.com.password = pw1\n");
  ::setenv("MPK_GATEWAY_PORT", "9100", 1);
  std::string msg;
  std::string config_flag = "--config=" + file;
  const char* argv[] = {"prog", config_flag.c_str(), "--gateway.password=from-flag"};
  REQUIRE(s.parse(3, argv, msg) == settings::outcome::run);
  CHECK(s.get("gateway.port") == "9100");
  CHECK(s.get_int("gateway.port") == 9100);
  CHECK(s.get("gateway.password") == "from-flag");
  CHECK(s.with_prefix("tenant.").size() == 1);
  CHECK(s.get("tenant.t1.example.com.password") == "pw1");
  // Secrets never appear in the effective configuration printout.
  CHECK(s.describe().find("from-flag") == std::string::npos);
  CHECK(s.describe().find("pw1") == std::string::npos);
  ::unsetenv("MPK_GATEWAY_PORT");
  std::filesystem::remove(file);
}

TEST_CASE("config: --help lists every option with its environment name") {
  auto s = make();
  std::string msg;
  const char* argv[] = {"prog", "--help"};
  REQUIRE(s.parse(2, argv, msg) == settings::outcome::help);
  CHECK(msg.find("--gateway.port") != std::string::npos);
  CHECK(msg.find("MPK_GATEWAY_PORT") != std::string::npos);
}

TEST_CASE("config: unknown options, bad files and missing values are refused with a message") {
  std::string msg;
  {
    auto s = make();
    const char* argv[] = {"prog", "--no-such-option=1"};
    CHECK(s.parse(2, argv, msg) == settings::outcome::error);
    CHECK(msg.find("no-such-option") != std::string::npos);
  }
  {
    auto s = make();
    const char* argv[] = {"prog", "--config=/nonexistent/mpk.ini"};
    CHECK(s.parse(2, argv, msg) == settings::outcome::error);
  }
  {
    auto s = make();
    auto file = write_file("this line has no equals sign\n");
    CHECK_FALSE(s.load_file(file, msg));
    CHECK(msg.find(":1:") != std::string::npos);
    std::filesystem::remove(file);
  }
}
