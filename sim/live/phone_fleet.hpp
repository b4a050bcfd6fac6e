#pragma once
/// All live phones of a simulation, by hwId.

#include "common/models/catalog.hpp"
#include "common/models/registrations.hpp"
#include "sim/live/live_phone.hpp"
#include "sim/phone/phone_identity.hpp"

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mpk::sim {

/// "up" (or "registered"), "not-configured", "disabled", "failed" → colour; nullopt otherwise.
std::optional<models::reg_color> parse_reg_state(std::string_view s);

class phone_fleet {
public:
  explicit phone_fleet(net::io_runtime& rt) : rt_(rt) {}

  /// Creates a live phone of a supported model with the given slot states (one per slot, from 0).
  /// nullptr and `err` for an unknown or unsupported product, a bad state or a duplicate hwId.
  std::shared_ptr<live_phone> add(const models::catalog& cat, const sim_phone::phone_identity& id,
                                  std::string sysclient_password, live_phone_options opts,
                                  const std::vector<std::string>& registrations, std::string& err,
                                  std::string provisioning_code = {});
  std::shared_ptr<live_phone> find(std::string_view hw_id) const;
  std::vector<std::shared_ptr<live_phone>> phones() const;
  std::size_t size() const;
  std::size_t connected() const;

  void start_all();
  /// Switches every phone off and waits up to `grace` for their websockets to finish closing.
  void stop_all(std::chrono::milliseconds grace = std::chrono::milliseconds(2000));

private:
  net::io_runtime& rt_;
  mutable std::mutex mu_;
  std::vector<std::shared_ptr<live_phone>> order_;
  std::unordered_map<std::string, std::shared_ptr<live_phone>> by_hw_;
};

} // namespace mpk::sim
