// deploy/docker-compose.yml (and docker-compose.gateways.yml on top) must be valid for Debian's docker-compose (no
// Docker engine needed).

#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>
#include <sys/wait.h>

TEST_CASE("deploy: docker-compose.yml (and the two-gateway example on top) validates with docker-compose config") {
  std::string file = std::string(MPK_DEPLOY_DIR) + "/docker-compose.yml";
  std::string cmd = "docker-compose -f '" + file + "' config -q 2>&1";
  int rc = std::system(cmd.c_str());
  REQUIRE(rc != -1);
  CHECK(WIFEXITED(rc));
  CHECK(WEXITSTATUS(rc) == 0);
  // The example with two gateways behind a proxy, on top of it.
  std::string two = "docker-compose -f '" + file + "' -f '" + std::string(MPK_DEPLOY_DIR) +
                    "/docker-compose.gateways.yml' config -q 2>&1";
  rc = std::system(two.c_str());
  CHECK((WIFEXITED(rc) && WEXITSTATUS(rc) == 0));
  // With the demo profile the simulator is part of it too.
  std::string demo = "docker-compose -f '" + file + "' --profile demo config --services 2>&1 | grep -qx sim";
  CHECK(std::system(demo.c_str()) == 0);
}
