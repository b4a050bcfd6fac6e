#pragma once
// A Devices App alone on a 127.0.0.1 port, with a small deterministic population.

#include "common/net/io_runtime.hpp"
#include "common/net/server.hpp"
#include "sim/devices/devices_app.hpp"
#include "sim/devices/population.hpp"
#include "tests/sim/ws_client.hpp"

#include <memory>
#include <set>
#include <string>
#include <vector>

namespace mpk::test {

struct devices_fixture {
  net::io_runtime rt{2};
  sim::devices_app app;
  sim::population pop;
  std::shared_ptr<net::server> server;
  std::string http_base, ws_base;

  explicit devices_fixture(const sim::population_options& po, sim::instance_options io = {});
  ~devices_fixture();

  std::shared_ptr<sim::devices_instance> inst(std::size_t k = 0) const { return app.instances().at(k); }
  /// ws URL of the service API of instance k.
  std::string service_url(std::size_t k = 0) const;
  std::string sysclient_url(std::size_t k = 0) const;
};

/// What a chunked Get*Result sequence carried.
struct chunked {
  std::size_t chunks = 0;
  bool last_only_at_end = true; ///< last:false on every chunk but the final one, last:true there
  bool src_echoed = true;
  std::string error;
  std::vector<std::int64_t> ids;
  std::vector<std::int64_t> domain_ids;
  std::vector<std::string> names, uris;
};
/// Reads `mt` results until last:true; `list` is the array member ("devices" or "domains").
chunked read_chunks(ws_client& ws, const std::string& mt, const std::string& list, const std::string& src);

} // namespace mpk::test
