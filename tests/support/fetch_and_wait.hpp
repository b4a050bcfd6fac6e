#pragma once
// Tests: one HTTP exchange through the product's client, waited for. The client always calls
// back (its own timeout included), so the wait ends.

#include "common/net/http_client.hpp"

#include <cstddef>
#include <future>
#include <memory>

namespace mpk::test {

/// Body ceiling of the tests' requests: the simulator's control lists of 100,000 devices are
/// ~25 MB, above the client's 4 MB default (which is meant for a phone's answers).
inline constexpr std::size_t large_body_bytes = 256u << 20;

inline net::http_fetch_result fetch_and_wait(net::io_runtime& rt, net::http_fetch_request req) {
  auto done = std::make_shared<std::promise<net::http_fetch_result>>();
  auto result = done->get_future();
  net::fetch(rt, std::move(req), [done](net::http_fetch_result r) { done->set_value(std::move(r)); });
  return result.get();
}

} // namespace mpk::test
