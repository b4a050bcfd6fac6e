#include "sim/live/phone_fleet.hpp"

#include <thread>

namespace mpk::sim {

std::optional<models::reg_color> parse_reg_state(std::string_view s) {
  if (s == "up" || s == "registered") return models::reg_color::registered;
  if (s == "not-configured") return models::reg_color::not_configured;
  if (s == "disabled") return models::reg_color::disabled;
  if (s == "failed") return models::reg_color::failed;
  return std::nullopt;
}

std::shared_ptr<live_phone> phone_fleet::add(const models::catalog& cat, const sim_phone::phone_identity& id,
                                             std::string sysclient_password, live_phone_options opts,
                                             const std::vector<std::string>& registrations, std::string& err,
                                             std::string provisioning_code) {
  auto web = sim_phone::phone_web::create(cat, id, err);
  if (!web) return nullptr;
  for (std::size_t slot = 0; slot < registrations.size(); ++slot) {
    auto c = parse_reg_state(registrations[slot]);
    if (!c) {
      err = "bad registration state '" + registrations[slot] + "'";
      return nullptr;
    }
    web->ui().set_registration_state(static_cast<int>(slot), *c);
  }
  auto phone = std::make_shared<live_phone>(rt_, std::move(*web), std::move(sysclient_password), std::move(opts),
                                            std::move(provisioning_code));
  std::lock_guard lock(mu_);
  if (by_hw_.count(id.hw_id)) {
    err = "a live phone " + id.hw_id + " exists already";
    return nullptr;
  }
  by_hw_[id.hw_id] = phone;
  order_.push_back(phone);
  return phone;
}

std::shared_ptr<live_phone> phone_fleet::find(std::string_view hw_id) const {
  std::lock_guard lock(mu_);
  auto it = by_hw_.find(std::string(hw_id));
  return it == by_hw_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<live_phone>> phone_fleet::phones() const {
  std::lock_guard lock(mu_);
  return order_;
}

std::size_t phone_fleet::size() const {
  std::lock_guard lock(mu_);
  return order_.size();
}

std::size_t phone_fleet::connected() const {
  std::size_t n = 0;
  for (auto& p : phones()) n += p->connected();
  return n;
}

void phone_fleet::start_all() {
  for (auto& p : phones()) p->start();
}

void phone_fleet::stop_all(std::chrono::milliseconds grace) {
  auto all = phones();
  for (auto& p : all) p->stop();
  auto deadline = std::chrono::steady_clock::now() + grace;
  for (;;) {
    int open = 0;
    for (auto& p : all) open += p->open_links();
    if (open == 0 || std::chrono::steady_clock::now() >= deadline) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

} // namespace mpk::sim
