#include "services/all-in-one/product.hpp"

#include "common/actors/interfaces.hpp"
#include "common/actors/system_config.hpp"
#include "common/base/config.hpp"
#include "common/base/log.hpp"
#include "common/models/model_data.hpp"
#include "common/net/io_runtime.hpp"
#include "common/net/tls_config.hpp"
#include "services/gateway/gateway.hpp"
#include "services/phone-session/src/phone_config.hpp"
#include "services/phone-session/src/phone_manager.hpp"
#include "services/registry/registry.hpp"
#include "services/registry/registry_config.hpp"

#include <caf/actor_system.hpp>
#include <caf/send.hpp>

#include <algorithm>
#include <iostream>
#include <optional>

namespace mpk::allinone {

void declare_product_options(config::settings& s, const std::string& models_dir, const std::string& web_dir) {
  gateway::add_options(s);
  s.add("io-threads", "2", "Asio threads (websockets, passthrough HTTP)");
  add_phone_options(s);
  registry::add_registry_options(s);
  std::string msg;
  s.set("gateway.models-dir", models_dir, msg);
  s.set("gateway.web-dir", web_dir, msg);
}

// The order matters: the network outlives the actor system, which outlives the services' handles.
struct product::parts {
  std::optional<models::model_data> data;
  std::unique_ptr<net::io_runtime> io;
  system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  registry_actor registry;
  phone_manager_actor phones;
  std::unique_ptr<gateway::gateway> gw;
};

product::product(std::unique_ptr<parts> p) : p_(std::move(p)) {}

product::~product() { stop(); }

std::unique_ptr<product> product::start_or_explain(const config::settings& s, int& exit_code) {
  std::string error;
  auto p = start(s, error, exit_code);
  if (!p) std::cerr << error << "\n";
  return p;
}

std::unique_ptr<product> product::start(const config::settings& s, std::string& error, int& exit_code) {
  auto p = std::make_unique<parts>();
  exit_code = 1;
  p->data = models::load_model_data(s.get("gateway.models-dir"), error);
  if (!p->data) return nullptr;
  registry::registry_options ro;
  if (!registry::apply_registry_options(s, ro, error)) {
    exit_code = 2;
    return nullptr;
  }
  auto* catalog = &p->data->phones;
  auto wire = wire_memory_from(s, *catalog, error);
  if (!wire) return nullptr;

  p->io = std::make_unique<net::io_runtime>(static_cast<int>(std::max<std::int64_t>(1, s.get_int("io-threads"))));
  p->sys = std::make_unique<caf::actor_system>(p->cfg);
  auto tls = net::tls_client_options_from(s);
  ro.io = p->io.get();
  ro.tls = tls;
  ro.catalog = catalog;
  p->registry = registry::spawn_registry(*p->sys, ro);

  phone_options po;
  po.io = p->io.get();
  po.registry = p->registry;
  po.catalog = catalog;
  po.wire = wire;
  apply_phone_options(s, po);
  p->phones = spawn_phone_manager(*p->sys, po);

  p->gw = gateway::gateway::start(*p->sys, *p->io, gateway::options_from(s), catalog, &p->data->layouts, error);
  if (!p->gw) {
    caf::anon_send_exit(p->registry, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(p->phones, caf::exit_reason::user_shutdown);
    p->io->stop();
    p->sys->await_actors_before_shutdown(false);
    return nullptr;
  }
  p->gw->context().services.set_registry(p->registry);
  p->gw->context().services.set_phones(p->phones);
  exit_code = 0;
  return std::unique_ptr<product>(new product(std::move(p)));
}

gateway::gateway& product::gateway() { return *p_->gw; }

phone_manager_actor product::phones() const { return p_->phones; }

void product::reload_tls() {
  p_->gw->reload_tls();
  p_->io->reload_tls_clients();
}

void product::stop() {
  if (!p_ || !p_->gw) return;
  // Deadline-bound: tell the browsers, stop the services, never hang on exit.
  p_->gw->stop();
  caf::anon_send_exit(p_->phones, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(p_->registry, caf::exit_reason::user_shutdown);
  if (!p_->gw->drain(std::chrono::seconds(2)))
    MPK_WARN("main", "stopping with connections or actors still open after 2 s");
  p_->gw.reset();
  p_->io->stop();
  p_->sys->await_actors_before_shutdown(false);
}

} // namespace mpk::allinone
