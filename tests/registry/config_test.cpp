// The registry's options from settings (config file, environment, flags all end up there).

#include "common/base/config.hpp"
#include "services/registry/registry_config.hpp"

#include <catch2/catch.hpp>

using namespace mpk;
using namespace std::chrono_literals;

TEST_CASE("registry options: the stale grace period has a default, takes a value and refuses a bad one") {
  config::settings s("test", "registry options");
  registry::add_registry_options(s);
  registry::registry_options o;
  o.stale_grace = 1ms;
  std::string err;
  REQUIRE(registry::apply_registry_options(s, o, err));
  CHECK(o.stale_grace == 2000ms);

  std::string msg;
  REQUIRE(s.set("registry.stale-grace-ms", "0", msg));
  REQUIRE(registry::apply_registry_options(s, o, err));
  CHECK(o.stale_grace == 0ms);

  REQUIRE(s.set("registry.stale-grace-ms", "-5", msg));
  o.stale_grace = 700ms;
  CHECK_FALSE(registry::apply_registry_options(s, o, err));
  CHECK(err.find("registry.stale-grace-ms") != std::string::npos);
  CHECK(o.stale_grace == 700ms); // unchanged
}
