#pragma once
// The CAF configuration every binary starts from: our type-ID block, the middleman, and the BASP
// heartbeat pair (without it a hung peer is never detected, engineering notes §2.7).

#include <caf/actor_system_config.hpp>

namespace mpk {

class system_config : public caf::actor_system_config {
public:
  /// with_middleman: load caf::io for the split (multi-process) deployment.
  explicit system_config(bool with_middleman = false);
};

} // namespace mpk
