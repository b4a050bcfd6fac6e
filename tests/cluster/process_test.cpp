// The harness that starts the split deployment's processes (tests/cluster/process.cpp).

#include "tests/cluster/process.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fcntl.h>
#include <sstream>
#include <unistd.h>

using namespace std::chrono_literals;

TEST_CASE("cluster harness: a child process inherits no descriptor of the test but its output files") {
  // A descriptor without close-on-exec, as asio's sockets are, high enough to be recognisable.
  int held = ::open("/dev/null", O_RDONLY);
  REQUIRE(held >= 0);
  REQUIRE(::dup2(held, 77) == 77);
  auto base = std::filesystem::temp_directory_path() / ("mpk-process-test-" + std::to_string(::getpid()));
  mpk::test::child_process ls;
  REQUIRE(ls.start("/bin/ls", {"/proc/self/fd"}, base.string()));
  REQUIRE(ls.wait_exit(10s));
  std::istringstream fds(ls.output());
  std::string fd;
  int listed = 0;
  while (fds >> fd) {
    INFO("descriptor " << fd << " in the child");
    CHECK(std::stoi(fd) <= 3); // stdin, stdout, stderr and the directory ls reads
    ++listed;
  }
  CHECK(listed >= 3);
  ::close(77);
  ::close(held);
  std::filesystem::remove(base.string() + ".out");
  std::filesystem::remove(base.string() + ".err");
}
