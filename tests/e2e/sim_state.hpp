#pragma once
// What the simulator holds, read through its control interface, for comparing with the product.

#include "tests/e2e/product_fixture.hpp"

#include <map>
#include <string>

namespace mpk::test {

struct sim_device {
  std::int64_t id = 0, domain_id = 0;
  std::string hw_id, name, product, version, type, ip;
  bool online = false;
};

/// Devices of the first instance by hwId; only those of `domain` when it is not empty.
std::map<std::string, sim_device> sim_devices(product_fixture& f, const std::string& domain = {});
/// Domain id of a domain name in the first instance (0 if none).
std::int64_t sim_domain_id(product_fixture& f, const std::string& name);

} // namespace mpk::test
