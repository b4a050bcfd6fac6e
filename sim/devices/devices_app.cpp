#include "sim/devices/devices_app.hpp"

#include <thread>

namespace mpk::sim {

void devices_app::add(std::shared_ptr<devices_instance> inst) { instances_.push_back(std::move(inst)); }

std::shared_ptr<devices_instance> devices_app::find(std::string_view name) const {
  for (auto& i : instances_)
    if (i->name() == name) return i;
  return nullptr;
}

std::shared_ptr<devices_instance> devices_app::find_device(std::string_view hw_id) const {
  for (auto& i : instances_)
    if (i->device_by_hw(hw_id)) return i;
  return nullptr;
}

std::shared_ptr<devices_instance> devices_app::route(std::string_view target, std::string_view& rest,
                                                     bool& has_rest) const {
  has_rest = false;
  for (auto& i : instances_) {
    auto p = i->path();
    if (target.size() < p.size() || target.compare(0, p.size(), p) != 0) continue;
    auto tail = target.substr(p.size());
    if (tail.empty() || tail.front() == '?') {
      rest = {};
      return i;
    }
    if (tail.front() != '/') continue; // "/dom/devices2" must not match "/dom/devices"
    rest = tail.substr(1);
    has_rest = true;
    return i;
  }
  return nullptr;
}

net::handler_ptr devices_app::upgrade(const net::http_request_info& req) const {
  std::string_view rest;
  bool has_rest = false;
  auto inst = route(req.target, rest, has_rest);
  if (!inst) return nullptr;
  rest = rest.substr(0, rest.find('?'));
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  // The API is reached at the instance URL and at the devices-api App URL (docs/spec/appwebsocket.md §3).
  if (rest.empty() || rest == "innovaphone-devices-api" || rest == "innovaphone-devices") return inst->open_service();
  if (rest == "sysclients") return inst->open_sysclient();
  return nullptr;
}

bool devices_app::http(const net::http_request_info& req, net::http_responder& respond) const {
  std::string_view rest;
  bool has_rest = false;
  auto inst = route(req.target, rest, has_rest);
  if (!inst || !has_rest) return false;
  constexpr std::string_view pt = "passthrough/";
  if (rest.substr(0, pt.size()) != pt) return false;
  inst->passthrough(req, rest.substr(pt.size()), std::move(respond));
  return true;
}

void devices_app::set_http_base(const std::string& base) {
  for (auto& i : instances_) i->set_http_base(base);
}

void devices_app::stop(std::chrono::milliseconds grace) {
  for (auto& i : instances_) i->stop();
  auto deadline = std::chrono::steady_clock::now() + grace;
  for (;;) {
    int open = 0;
    for (auto& i : instances_) open += i->open_handlers();
    if (open == 0 || std::chrono::steady_clock::now() >= deadline) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

} // namespace mpk::sim
