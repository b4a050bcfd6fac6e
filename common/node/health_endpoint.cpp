#include "common/node/health_endpoint.hpp"

#include "common/actors/atoms.hpp"
#include "common/net/server.hpp"

#include <caf/event_based_actor.hpp>

#include <chrono>

namespace mpk::cluster {

std::shared_ptr<net::server> start_health_endpoint(caf::actor_system& sys, net::io_runtime& io, const std::string& host,
                                                   unsigned short port, std::string service_name, caf::actor service,
                                                   std::string& error) {
  net::server_options o;
  o.host = host;
  o.port = port;
  net::server_routes routes;
  routes.http = [&sys, service, service_name](const net::http_request_info& req, net::http_responder respond) {
    if (req.target != "/healthz" || req.method != "GET") return respond(net::http_reply::text(404, "not found\n"));
    sys.spawn([service, service_name, respond](caf::event_based_actor* self) {
      self->request(service, std::chrono::milliseconds(1500), atom::status_v)
        .then(
          [=](const std::string&) {
            respond(net::http_reply::json(200, "{\"status\":\"ok\",\"service\":\"" + service_name + "\"}"));
          },
          [=](const caf::error&) {
            respond(net::http_reply::json(503, "{\"status\":\"unavailable\",\"service\":\"" + service_name + "\"}"));
          });
    });
  };
  routes.upgrade = [](const net::http_request_info&) -> net::handler_ptr { return nullptr; };
  return net::server::start(io, o, std::move(routes), error);
}

} // namespace mpk::cluster
