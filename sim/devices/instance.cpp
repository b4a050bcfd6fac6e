#include "sim/devices/instance.hpp"

// The instance itself: identity, shutdown and statistics. Its other jobs live beside it:
// instance_database.cpp, instance_service_api.cpp, instance_sysclient_login.cpp,
// instance_passthrough.cpp and instance_restart.cpp.

namespace mpk::sim {

devices_instance::devices_instance(net::io_runtime& rt, std::string domain, std::string name, std::string password,
                                   instance_options opts)
    : rt_(rt),
      domain_(std::move(domain)),
      name_(std::move(name)),
      password_(std::move(password)),
      opts_(std::move(opts)) {
  if (opts_.chunk_size == 0) opts_.chunk_size = 1;
  change_rng_.seed(opts_.seed ^ std::hash<std::string>{}(name_));
}

devices_instance::~devices_instance() = default;

void devices_instance::set_http_base(std::string base) {
  std::lock_guard lock(mu_);
  http_base_ = std::move(base);
}

std::string devices_instance::passthrough_prefix() const {
  std::lock_guard lock(mu_);
  return http_base_ + path() + "/passthrough/";
}

// -- shutdown and statistics -------------------------------------------------------

void devices_instance::stop() {
  std::vector<net::connection_ptr> conns;
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
    down_ = true;
    for (auto& [id, weak_conn] : open_)
      if (auto c = weak_conn.lock()) conns.push_back(std::move(c));
    open_.clear();
    sessions_.clear();
    by_key_.clear();
    links_.clear();
  }
  for (auto& c : conns) c->close(1001, "simulator stopping");
}

devices_instance::stats devices_instance::statistics() const {
  std::lock_guard lock(mu_);
  stats st;
  st.domains = domains_.size();
  st.devices = devices_.size();
  for (auto& [id, d] : devices_) {
    st.online += d.online;
    st.unassigned += d.domain_id == 0;
  }
  st.service_sessions = sessions_.size();
  st.sysclients = links_.size();
  st.passthroughs = passthroughs_.load();
  st.down = down_.load();
  st.list = list_fault_.load();
  return st;
}

} // namespace mpk::sim
