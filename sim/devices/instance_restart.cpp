#include "sim/devices/instance.hpp"

// A simulated restart of the instance (docs/spec/devices-api.md §6): every websocket dropped, new ones
// refused for a while, random database changes made meanwhile (what a client must resynchronise).

#include "common/base/log.hpp"
#include "common/net/timer.hpp"

namespace mpk::sim {

devices_instance::restart_report devices_instance::restart(std::chrono::milliseconds down, int changes) {
  restart_report rep;
  std::vector<net::connection_ptr> conns;
  std::uint64_t epoch = 0;
  {
    std::lock_guard lock(mu_);
    down_ = true;
    epoch = ++restart_epoch_;
    for (auto& [id, weak_conn] : open_) {
      if (sessions_.count(id)) rep.services_dropped++;
      if (auto c = weak_conn.lock()) conns.push_back(std::move(c));
    }
    rep.sysclients_dropped = links_.size();
    open_.clear();
    sessions_.clear(); // every key dies now; pushes stop
    by_key_.clear();
    for (int i = 0; i < changes; ++i) rep.changes.push_back(random_change_locked());
  }
  for (auto& c : conns) c->close(1012, "Devices instance restarting");
  std::weak_ptr<devices_instance> weak = shared_from_this();
  net::run_after(rt_, down, [weak, epoch] {
    if (auto self = weak.lock()) {
      std::lock_guard lock(self->mu_);
      // Only the latest restart ends the down time (a second restart extends it).
      if (!self->stopped_ && self->restart_epoch_ == epoch) self->down_ = false;
    }
  });
  MPK_INFO("devices " + name_, "restart: dropped ", conns.size(), " websockets, down for ", down.count(), " ms, ",
           changes, " changes");
  return rep;
}

std::string devices_instance::random_change_locked() {
  auto pick = [&]() -> device_record* {
    if (devices_.empty()) return nullptr;
    for (int tries = 0; tries < 32; ++tries) {
      std::int64_t id = static_cast<std::int64_t>(change_rng_() % static_cast<std::uint64_t>(next_device_id_)) + 1;
      auto it = devices_.lower_bound(id);
      if (it == devices_.end()) it = devices_.begin();
      if (!it->second.live) return &it->second; // live phones keep their rows: they reconnect as themselves
    }
    return nullptr;
  };
  ++changes_made_;
  switch (change_rng_() % 5) {
    case 0: {
      if (auto* d = pick()) {
        d->name = "Renamed " + std::to_string(changes_made_);
        return "rename id=" + std::to_string(d->id) + " name=" + d->name;
      }
      break;
    }
    case 1: {
      if (auto* d = pick()) {
        d->online = !d->online;
        return "online id=" + std::to_string(d->id) + " online=" + (d->online ? "true" : "false");
      }
      break;
    }
    case 2: {
      auto* d = pick();
      if (d && d->domain_id != 0 && domains_.size() > 1) {
        auto it = domains_.begin();
        std::advance(it, static_cast<long>(change_rng_() % domains_.size()));
        d->domain_id = it->first;
        return "move id=" + std::to_string(d->id) + " domainId=" + std::to_string(d->domain_id);
      }
      break;
    }
    case 3: {
      if (auto* d = pick()) {
        std::int64_t id = d->id;
        by_hw_.erase(d->hw_id);
        devices_.erase(id);
        return "remove id=" + std::to_string(id);
      }
      break;
    }
    default: break;
  }
  // Add a device (also the fallback when a pick failed).
  device_record d;
  d.id = next_device_id_++;
  do d.hw_id = hw_id_for(0xa00000 + (change_rng_() & 0x5fffff));
  while (by_hw_.count(d.hw_id));
  d.name = "Added " + std::to_string(changes_made_);
  if (!domains_.empty()) {
    auto it = domains_.begin();
    std::advance(it, static_cast<long>(change_rng_() % domains_.size()));
    d.domain_id = it->first;
  }
  d.product = "IP222";
  d.version = "13r3 sr10 [13.7100/131286/1300]";
  d.online = false;
  d.sysclient_password = new_sysclient_password();
  by_hw_[d.hw_id] = d.id;
  std::string line = "add id=" + std::to_string(d.id) + " hwId=" + d.hw_id;
  devices_[d.id] = std::move(d);
  return line;
}

} // namespace mpk::sim
