#pragma once
// Synthetic registry data for the tests: deterministic devices with mixed-case fields, and a
// naive reference filter to compare the indexed model against.

#include "common/actors/messages.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace mpk::test {

/// Device n (1-based) of `link`: name, product, version, ip and hwId all derived from n.
/// Domains "<link>:<1 + n % domains>", online when n % 3 != 0.
device_record synth_device(const std::string& link, std::int64_t n, std::size_t domains = 20);

/// Domains 1..count of `link`, named "Domain-<k>" (k = 1..count) in mixed case.
std::vector<domain_summary> synth_domains(const std::string& link, std::size_t count);

/// A snapshot link_update with devices 1..count, listed in `devices` for tests to edit (a devices_link
/// sends them in `device_chunks`; registry_fixture::feed moves them there).
link_update synth_snapshot(const std::string& link, const std::string& tenant, std::size_t count,
                           std::size_t domains = 20);

/// The reference: does `d` match `q`? (plain loops, no index; MAC separators ':'/'-' ignored.)
bool naive_match(const device_record& d, const device_query& q);

/// Reference order: domain name, name (case-insensitive), link, device id.
bool naive_less(const device_record& a, const device_record& b);

std::string lower_copy(std::string s);

} // namespace mpk::test
