#include "tests/sim/devices_fixture.hpp"

#include <stdexcept>

namespace mpk::test {

devices_fixture::devices_fixture(const sim::population_options& po, sim::instance_options io) {
  pop = sim::generate_population(po);
  for (auto& in : pop.instances) {
    auto inst = std::make_shared<sim::devices_instance>(rt, in.domain, in.name, in.password, io);
    inst->load(in.domains, in.devices);
    app.add(inst);
  }
  net::server_options so;
  so.limits.max_queue_bytes = 512u << 20; // a 100k device list is ~35 MB of JSON queued at once
  net::server_routes routes;
  routes.upgrade = [this](const net::http_request_info& req) { return app.upgrade(req); };
  routes.http = [this](const net::http_request_info& req, net::http_responder respond) {
    if (!app.http(req, respond)) respond(net::http_reply::text(404, "not found\n"));
  };
  std::string err;
  server = net::server::start(rt, so, routes, err);
  if (!server) throw std::runtime_error("cannot start server: " + err);
  http_base = "http://127.0.0.1:" + std::to_string(server->port());
  ws_base = "ws://127.0.0.1:" + std::to_string(server->port());
  app.set_http_base(http_base);
}

devices_fixture::~devices_fixture() {
  app.stop();
  server->stop();
  rt.stop();
}

std::string devices_fixture::service_url(std::size_t k) const {
  return ws_base + inst(k)->path() + "/innovaphone-devices-api";
}
std::string devices_fixture::sysclient_url(std::size_t k) const { return ws_base + inst(k)->path() + "/sysclients"; }

chunked read_chunks(ws_client& ws, const std::string& mt, const std::string& list, const std::string& src) {
  chunked out;
  for (;;) {
    auto f = ws.next_mt(mt, 20s);
    if (!f) {
      out.error = "no " + mt + " (timeout)";
      return out;
    }
    json_doc d(*f);
    ++out.chunks;
    if (d.str("src") != src) out.src_echoed = false;
    if (!d.str("error").empty()) out.error = d.str("error");
    simdjson::dom::array arr;
    if (d.root[list].get_array().get(arr) == simdjson::SUCCESS) {
      for (auto el : arr) {
        std::int64_t v = 0;
        if (el["id"].get_int64().get(v) == simdjson::SUCCESS) out.ids.push_back(v);
        std::int64_t dom = 0;
        if (el["domainId"].get_int64().get(dom) == simdjson::SUCCESS) out.domain_ids.push_back(dom);
        std::string_view s;
        if (el["name"].get_string().get(s) == simdjson::SUCCESS) out.names.emplace_back(s);
        if (el["uri"].get_string().get(s) == simdjson::SUCCESS) out.uris.emplace_back(s);
      }
    }
    auto last = d.boolean("last");
    if (!last) {
      out.last_only_at_end = false;
      out.error = "chunk without last";
      return out;
    }
    if (*last) return out;
  }
}

} // namespace mpk::test
