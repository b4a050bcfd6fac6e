#pragma once
/// The deterministic start-up population of the simulated Devices App: instances, domains,
/// devices (mixed products, firmware, types, online flags) and which of them are live phones.
/// Same options + seed ⇒ same population, so tests and benchmarks can rely on it.

#include "sim/devices/records.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mpk::sim {

struct product_choice {
  std::string product, family;
};

struct population_options {
  std::uint64_t seed = 1;
  std::size_t devices = 1000; ///< all devices over all instances
  std::size_t domains = 10;   ///< all domains over all instances (at least one per instance)
  std::size_t instances = 1;
  std::size_t live_phones = 30; ///< the first devices are played by live sysclient phones
  std::size_t tenants = 0;      ///< domains tenant<i>.example.com (i = 1..tenants) exist for the PBX tenants
  std::string instance_domain = "sim.example.com";
  std::vector<product_choice> supported; ///< V13 phone models (from the model catalog), in family order
  std::vector<std::string> unsupported;  ///< phone products without V13 support
};

/// What a live phone needs to be created (the same facts its Devices row holds).
struct live_phone_spec {
  std::size_t instance = 0; ///< index into population::instances
  std::string hw_id, product, family, version, name, ipv4, number, sysclient_password;
  std::int64_t domain_id = 0;
  std::string domain_name;
  /// Registration state per slot: "up", "not-configured", "disabled" or "failed".
  std::vector<std::string> registrations;
};

struct instance_population {
  std::string domain, name, password;
  std::vector<domain_record> domains;
  std::vector<device_record> devices;
};

struct population {
  std::vector<instance_population> instances;
  std::vector<live_phone_spec> live;
};

/// Builds the population. Instance k is named "devices" (k = 0) or "devices<k+1>"; each has its
/// instance domain as domain id 1. Tenant domain i lives in instance (i-1) % instances.
population generate_population(const population_options& opts);

/// The deterministic password of a domain or instance (32 lowercase hex from seed and name).
std::string derived_password(std::uint64_t seed, std::string_view name);

} // namespace mpk::sim
